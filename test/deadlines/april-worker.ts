import { Logger } from '@nestjs/common';
import { ManualClock } from '../../libs/platform/src/clock';
import { Database } from '../../libs/platform/src/database';
import { createTestDatabase } from '../support/databases';
import { seeder } from './seed';
import { sweepProcess } from './sweep-fixture';
import { startWorker, uniquePrefix } from './worker-harness';

/**
 * A worker started one minute before April's deadline on a ledger whose 2024 plan was published on
 * 1 April, with the Redis the test chooses (none, or one that does not answer). The test moves the clock
 * past the deadline and looks for the overdue events through `owner`.
 */
export async function aprilWorker(redisUrl: string) {
  Logger.overrideLogger(false);
  const database = await createTestDatabase();
  const owner = await Database.create({ url: database.url, poolSize: 2 }).connect();
  const clock = new ManualClock(new Date('2024-04-01T02:00:00Z'));
  const seeding = await sweepProcess(database.url, clock);
  await seeder(seeding.executor, clock).publishPlan(2024, { at: '2024-04-01T02:00:00Z' });
  await seeding.close();
  clock.set('2024-04-30T15:59:00Z');
  const worker = await startWorker({ databaseUrl: database.url, redisUrl, prefix: uniquePrefix(), clock });
  await worker.schedules.startup;
  return {
    owner,
    clock,
    worker,
    async close() {
      await worker.app.close();
      await owner.close();
      await database.drop();
    },
  };
}
