import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, deploymentDefaults, loadConfig } from '@app/platform/config';
import { UnsafeDatabaseError } from '@app/platform/database';
import { checkRuntimeLogin } from '@app/platform/runtime-login';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  // A deployment inherits production unless it says otherwise: real time, and a least-privileged login.
  deploymentDefaults();
  const config = loadConfig();
  await checkRuntimeLogin(config, (message) => process.stderr.write(`警告：${message}\n`));
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError || error instanceof UnsafeDatabaseError
      ? `${error.message}\n`
      : `skills-ledger worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
