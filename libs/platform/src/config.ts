import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
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

  /** A file holding the password of DATABASE_URL's login (a secret kept out of the environment). */
  @IsOptional()
  @IsString()
  DATABASE_PASSWORD_FILE?: string;

  /** The owner's connection, for migrations only; the api and worker never use it. Default: DATABASE_URL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'MIGRATION_DATABASE_URL 必须是 postgres:// 开头的连接串' })
  MIGRATION_DATABASE_URL?: string;

  /** The role the application's sessions run as: it may insert and select events, never change them. */
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]*$/)
  DATABASE_ROLE = 'skills_app';

  /** Connections per process; PostgreSQL's max_connections is shared by every api and worker. */
  @Transform(({ value }) => (value === undefined ? 20 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  /** `none`: no Redis at all (the quickstart's embedded mode); the worker then sweeps in-process. */
  @Matches(/^(rediss?:\/\/|none$)/, {
    message: 'REDIS_URL 必须是 redis:// 开头的连接串，或 none（不用 Redis）',
  })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * The database is the quickstart's embedded PGlite: it cannot fsync and has one session for every
   * connection, so the durability refusal becomes a warning. Never accepted in production.
   */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  EMBEDDED_DATABASE = false;

  /** Only the api signs and checks tokens; the worker and the command line run without it. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET 至少需要 32 个字符' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  @MinLength(3)
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD 至少需要 8 个字符' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(({ value }) => (value ? new Date(String(value)) : undefined))
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

  /** The province office's mailbox (notice 二): every new sealed form is mailed there (needs SMTP_URL). */
  @IsOptional()
  @Matches(/^[^\s@<>,;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, {
    message: 'PROVINCE_INBOX 必须是一个电子邮件地址，如 rrcz@example.gov.cn',
  })
  PROVINCE_INBOX?: string;

  /** Local part of reminder e-mail addresses is the username; this is the domain when it has none. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, {
    message: 'REMINDER_EMAIL_DOMAIN 必须是域名，如 example.edu.cn',
  })
  REMINDER_EMAIL_DOMAIN?: string;

  /** Key prefix of the BullMQ queues: separate deployments (or test files) sharing one Redis keep apart. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'BULLMQ_PREFIX 只能包含字母、数字、_ 和 -' })
  BULLMQ_PREFIX = 'bull';

  @Transform(({ value }) => (value === undefined ? 300_000 : Number(value)))
  @IsInt()
  @Min(1000)
  WORKER_SWEEP_EVERY_MS = 300_000;

  /** How often the worker looks for a deadline that has just passed (and sweeps right after it). */
  @Transform(({ value }) => (value === undefined ? 60_000 : Number(value)))
  @IsInt()
  @Min(1000)
  WORKER_WATCH_EVERY_MS = 60_000;

  /** How often the worker re-creates its job schedulers (after a Redis flush) or sweeps without Redis. */
  @Transform(({ value }) => (value === undefined ? 60_000 : Number(value)))
  @IsInt()
  @Min(100)
  WORKER_SELF_CHECK_MS = 60_000;

  /**
   * How long a job's lock lasts without renewal, and how often workers look for jobs whose lock ran out:
   * a job whose worker died is taken over by another worker within about twice this. BullMQ's default.
   */
  @Transform(({ value }) => (value === undefined ? 30_000 : Number(value)))
  @IsInt()
  @Min(1000)
  WORKER_JOB_LOCK_MS = 30_000;

  /** Ed25519 private key (PEM) for signed ledger checkpoints, inline or as a file path. */
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string;

  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY_FILE?: string;

  /** Ed25519 public key (PEM) checkpoint signatures are verified against; derived from the signing key when absent. */
  @IsOptional()
  @IsString()
  AUDIT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  AUDIT_PUBLIC_KEY_FILE?: string;

  /**
   * How often the worker signs the ledger head. A point-in-time recovery can prove its events up to the
   * last checkpoint before the instant it stops at: this is the window it cannot prove.
   */
  @Transform(({ value }) => (value === undefined ? 900_000 : Number(value)))
  @IsInt()
  @Min(1000)
  AUDIT_CHECKPOINT_EVERY_MS = 900_000;

  /** Where the worker's scheduled backups go, one new directory each; no scheduled backup when unset. */
  @IsOptional()
  @IsString()
  BACKUP_DIR?: string;

  @Transform(({ value }) => (value === undefined ? 86_400_000 : Number(value)))
  @IsInt()
  @Min(1000)
  BACKUP_EVERY_MS = 86_400_000;

  /** GET /health reports the backup stale when the last good one is older than this; unset: not reported. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1000)
  BACKUP_MAX_AGE_MS?: number;

  /** Directory of pg_dump and pg_restore, when those on PATH are older than the server. */
  @IsOptional()
  @IsString()
  BACKUP_PG_BIN?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(({ value }) => (value === undefined ? 1_048_576 : Number(value)))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** A stolen token is worth at most this long; a working day (12 h) is the longest allowed. */
  @Transform(({ value }) => (value === undefined ? 3600 : Number(value)))
  @IsInt()
  @Min(60)
  @Max(43_200, { message: 'JWT_TTL_SECONDS 不能超过 43200（12 小时）' })
  JWT_TTL_SECONDS = 3600;

  /**
   * Which hops' X-Forwarded-For to believe for the client's address (login limits are judged by it):
   * `false` (none, the default: the socket's address), a hop count, or addresses and subnets such as
   * `loopback` or `10.0.0.0/8` (Express's trust proxy). Never `true` behind anything reachable.
   */
  @Matches(/^(false|true|\d{1,2}|[A-Za-z0-9.:/]+(\s*,\s*[A-Za-z0-9.:/]+)*)$/, {
    message: 'TRUST_PROXY 须为 false、跳数或以逗号分隔的地址/网段（如 loopback, 10.0.0.0/8）',
  })
  TRUST_PROXY = 'false';
}

export class ConfigError extends Error {}

/**
 * What `start:api` and `start:worker` assume when the environment says nothing: production (real
 * time, a least-privileged login). An explicit NODE_ENV always wins; migrate and the tests keep theirs.
 */
export function deploymentDefaults(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  env.NODE_ENV ||= 'production';
  return env;
}

function withPasswordFrom(config: AppConfig): string {
  let password: string;
  try {
    password = readFileSync(config.DATABASE_PASSWORD_FILE!, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`配置错误：无法读取 DATABASE_PASSWORD_FILE（${(error as Error).message}）`);
  }
  const url = new URL(config.DATABASE_URL);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** TRUST_PROXY in the form Express's `trust proxy` setting takes. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'false' || value === 'true') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, present, { excludeExtraneousValues: false });
  if (config.FAKE_NOW && Number.isNaN(config.FAKE_NOW.getTime())) {
    throw new ConfigError(`配置错误：FAKE_NOW 不是合法的时间（ISO-8601），收到 ${env.FAKE_NOW}`);
  }
  if (config.DATABASE_PASSWORD_FILE) config.DATABASE_URL = withPasswordFrom(config);
  const problems = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.property}: ${Object.values(p.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`配置错误（环境变量）：\n${lines.join('\n')}`);
  }
  if (config.EMBEDDED_DATABASE && config.NODE_ENV === 'production') {
    throw new ConfigError(
      '配置错误（环境变量）：\n  EMBEDDED_DATABASE: 嵌入式数据库只用于试用和演示，不能与 NODE_ENV=production 一起使用',
    );
  }
  // FAKE_NOW moves the clock for drills and tests only, never by default: it needs NODE_ENV said outright.
  if (env.NODE_ENV !== 'development' && env.NODE_ENV !== 'test') config.FAKE_NOW = undefined;
  return config;
}

/** Whether this process runs without Redis (REDIS_URL=none): no queue, the worker's own timers do the work. */
export function withoutRedis(config: AppConfig): boolean {
  return config.REDIS_URL === 'none';
}
