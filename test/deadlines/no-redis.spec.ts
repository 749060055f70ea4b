import { startApp, type Harness } from '../support/app';
import { aprilWorker } from './april-worker';
import { eventually } from './worker-harness';

jest.setTimeout(30_000);

/** REDIS_URL=none (the embedded mode): nothing connects to Redis, the worker's own timer is the schedule. */
describe('without Redis by design (REDIS_URL=none)', () => {
  let april: Awaited<ReturnType<typeof aprilWorker>>;

  beforeAll(async () => {
    april = await aprilWorker('none');
  });

  afterAll(async () => {
    await april?.close();
  });

  it('has no queue and sweeps on its own timer, so the deadline is still recorded', async () => {
    const { worker, clock, owner } = april;
    expect(worker.queue.enabled).toBe(false);
    expect(() => worker.queue.queue).toThrow(/REDIS_URL=none/);
    clock.set('2024-04-30T16:00:01Z');
    const overdue = await eventually(
      () =>
        owner.query(
          `SELECT metadata->>'requestId' AS request_id FROM events
            WHERE type = 'ReportMarkedOverdue' AND stream_id LIKE '%-2024-04'`,
        ),
      (rows) => rows.length === 3,
    );
    expect(overdue.map((r) => r.request_id)).toEqual(Array(3).fill('worker-no-redis-sweep'));
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
