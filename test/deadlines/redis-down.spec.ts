import { Logger } from '@nestjs/common';
import { ManualClock } from '../../libs/platform/src/clock';
import { Database } from '../../libs/platform/src/database';
import { createTestDatabase } from '../support/databases';
import { seeder } from './seed';
import { sweepProcess } from './sweep-fixture';
import { eventually, startWorker, uniquePrefix } from './worker-harness';

/** Nothing listens here: the worker must start, keep running and still meet the deadline. */
const DEAD_REDIS = 'redis://127.0.0.1:6399';

jest.setTimeout(30_000);

describe('the worker without Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let owner: Database;
  let clock: ManualClock;
  let worker: Awaited<ReturnType<typeof startWorker>>;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase();
    owner = await Database.create({ url: database.url, poolSize: 2 }).connect();
    clock = new ManualClock(new Date('2024-04-01T02:00:00Z'));
    const seeding = await sweepProcess(database.url, clock);
    await seeder(seeding.executor, clock).publishPlan(2024, { at: '2024-04-01T02:00:00Z' });
    await seeding.close();
    clock.set('2024-04-30T15:59:00Z');
    worker = await startWorker({
      databaseUrl: database.url,
      redisUrl: DEAD_REDIS,
      prefix: uniquePrefix(),
      clock,
    });
    await worker.schedules.startup;
  });

  afterAll(async () => {
    await worker.app.close();
    await owner.close();
    await database.drop();
    // ioredis destroys a never-connected socket only after its disconnect timeout (2 s by default).
    await new Promise((r) => setTimeout(r, 2100));
  });

  it('sweeps in-process while Redis is unreachable, so the deadline is still recorded', async () => {
    const before = await owner.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ReportMarkedOverdue'`,
    );
    expect(before[0].n).toBe(9); // January to March for the three plan units, from the start-up catch-up
    clock.set('2024-04-30T16:00:01Z');
    const april = await eventually(
      () =>
        owner.query(
          `SELECT stream_id, metadata->>'requestId' AS request_id FROM events
            WHERE type = 'ReportMarkedOverdue' AND stream_id LIKE '%-2024-04' ORDER BY stream_id`,
        ),
      (rows) => rows.length === 3,
    );
    expect(april.map((r) => r.request_id)).toEqual(Array(3).fill('worker-redis-unavailable-sweep'));
    expect(worker.queue.ready).toBe(false);
  });
});
