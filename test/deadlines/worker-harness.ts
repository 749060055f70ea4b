import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { DeadlineSchedules } from '../../apps/worker/src/deadlines/deadline-schedules';
import { DeadlineQueue } from '../../libs/application/src/deadlines/deadline-queue';
import { AppConfig, loadConfig } from '../../libs/platform/src/config';
import { Clock, type ManualClock } from '../../libs/platform/src/clock';

/** A private BullMQ key prefix, so parallel test files never see each other's jobs. */
export const uniquePrefix = () => `t-${randomBytes(5).toString('hex')}`;

/**
 * A whole worker process in-process (schedulers, processors, projection loop) on the given database
 * and Redis, with fast timers and the test's clock.
 */
export async function startWorker(options: {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  clock: ManualClock;
  env?: Record<string, string>;
}): Promise<{ app: INestApplicationContext; schedules: DeadlineSchedules; queue: DeadlineQueue }> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    BULLMQ_PREFIX: options.prefix,
    WORKER_SWEEP_EVERY_MS: '1000',
    WORKER_WATCH_EVERY_MS: '1000',
    WORKER_SELF_CHECK_MS: '250',
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(options.clock)
    .compile();
  const app: INestApplicationContext = await moduleRef.init();
  return { app, schedules: app.get(DeadlineSchedules), queue: app.get(DeadlineQueue) };
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > until)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
