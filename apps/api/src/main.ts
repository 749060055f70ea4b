import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, deploymentDefaults, loadConfig } from '@app/platform/config';
import { UnsafeDatabaseError } from '@app/platform/database';
import { checkRuntimeLogin } from '@app/platform/runtime-login';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';

async function main(): Promise<void> {
  // A deployment inherits production unless it says otherwise: real time, and a least-privileged login.
  deploymentDefaults();
  // Fail before Nest starts, with a message that names the bad setting.
  const config = loadConfig();
  if (!config.JWT_SECRET)
    throw new ConfigError('配置错误（环境变量）：\n  JWT_SECRET: 必须设置（至少 32 个字符）');
  await checkRuntimeLogin(config, (message) => process.stderr.write(`警告：${message}\n`));
  const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true });
  await configureApp(app);
  const { PORT } = app.get(AppConfig);
  await app.listen(PORT, '0.0.0.0');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UnsafeDatabaseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `skills-ledger api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
