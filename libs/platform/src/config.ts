import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** Every setting of the service, read from the environment once and checked before anything starts. */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => (value === undefined ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL 必须是 postgres:// 开头的连接串' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/skills';

  /** The role the application's sessions run as: it may insert and select events, never change them. */
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]*$/)
  DATABASE_ROLE = 'skills_app';

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL 必须是 redis:// 开头的连接串' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET 至少需要 32 个字符' })
  JWT_SECRET: string;

  @IsOptional()
  @IsString()
  @MinLength(3)
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD 至少需要 8 个字符' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(({ value }) => (value ? new Date(value) : undefined))
  FAKE_NOW?: Date;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  SMTP_FROM?: string;

  @IsOptional()
  @IsString()
  AUDIT_CHECKPOINT_DIR?: string;

  /** Ed25519 private key (PEM) for signed ledger checkpoints, inline or as a file path. */
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string;

  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY_FILE?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(({ value }) => (value === undefined ? 1_048_576 : Number(value)))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @Transform(({ value }) => (value === undefined ? 3600 : Number(value)))
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS = 3600;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, present, { excludeExtraneousValues: false });
  if (config.FAKE_NOW && Number.isNaN(config.FAKE_NOW.getTime())) {
    throw new ConfigError(`配置错误：FAKE_NOW 不是合法的时间（ISO-8601），收到 ${env.FAKE_NOW}`);
  }
  const problems = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.property}: ${Object.values(p.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`配置错误（环境变量）：\n${lines.join('\n')}`);
  }
  // FAKE_NOW moves the clock for drills only: production always runs on real time.
  if (config.NODE_ENV === 'production') config.FAKE_NOW = undefined;
  return config;
}
