import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@app/platform/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
}

main().catch((error) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `skills-ledger worker failed to start: ${error?.stack ?? error}\n`,
  );
  process.exit(1);
});
