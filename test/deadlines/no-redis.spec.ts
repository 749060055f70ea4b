import { Logger } from '@nestjs/common';
import { ManualClock } from '../../libs/platform/src/clock';
import { Database } from '../../libs/platform/src/database';
import { startApp, type Harness } from '../support/app';
import { createTestDatabase } from '../support/databases';
import { seeder } from './seed';
import { sweepProcess } from './sweep-fixture';
import { eventually, startWorker, uniquePrefix } from './worker-harness';

jest.setTimeout(30_000);

/** REDIS_URL=none (the embedded mode): nothing connects to Redis, the worker's own timer is the schedule. */
describe('without Redis by design (REDIS_URL=none)', () => {
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
      redisUrl: 'none',
      prefix: uniquePrefix(),
      clock,
    });
    await worker.schedules.startup;
  });

  afterAll(async () => {
    await worker?.app.close();
    await owner?.close();
    await database?.drop();
  });

  it('has no queue and sweeps on its own timer, so the deadline is still recorded', async () => {
    expect(worker.queue.enabled).toBe(false);
    expect(() => worker.queue.queue).toThrow(/REDIS_URL=none/);
    clock.set('2024-04-30T16:00:01Z');
    const april = await eventually(
      () =>
        owner.query(
          `SELECT metadata->>'requestId' AS request_id FROM events
            WHERE type = 'ReportMarkedOverdue' AND stream_id LIKE '%-2024-04'`,
        ),
      (rows) => rows.length === 3,
    );
    expect(april.map((r) => r.request_id)).toEqual(Array(3).fill('worker-no-redis-sweep'));
  });

  describe('the api', () => {
    let h: Harness;

    beforeAll(async () => {
      process.env.REDIS_URL = 'none';
      h = await startApp();
    });

    afterAll(async () => {
      await h?.close();
    });

    it('answers /health 200 with redis "none", and has no queue dashboard', async () => {
      const health = await h.request().get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok', db: 'up', redis: 'none' });
      const admin = await h.token('admin');
      expect((await h.request().get('/admin/queues').set('Authorization', `Bearer ${admin}`)).status).toBe(
        404,
      );
    });

    it('still runs a deadline sweep on request (in the api process)', async () => {
      const res = await h.as(await h.token('admin')).post('/api/v1/admin/deadline-sweeps');
      expect(res.status).toBe(202);
    });
  });
});
