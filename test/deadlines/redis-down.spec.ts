import { aprilWorker } from './april-worker';
import { eventually } from './worker-harness';

/** Nothing listens here: the worker must start, keep running and still meet the deadline. */
const DEAD_REDIS = 'redis://127.0.0.1:6399';

jest.setTimeout(30_000);

describe('the worker without Redis', () => {
  let april: Awaited<ReturnType<typeof aprilWorker>>;

  beforeAll(async () => {
    april = await aprilWorker(DEAD_REDIS);
  });

  afterAll(async () => {
    await april?.close();
    // ioredis destroys a never-connected socket only after its disconnect timeout (2 s by default).
    await new Promise((r) => setTimeout(r, 2100));
  });

  it('sweeps in-process while Redis is unreachable, so the deadline is still recorded', async () => {
    const { worker, clock, owner } = april;
    const before = await owner.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ReportMarkedOverdue'`,
    );
    expect(before[0].n).toBe(9); // January to March for the three plan units, from the start-up catch-up
    clock.set('2024-04-30T16:00:01Z');
    const overdue = await eventually(
      () =>
        owner.query(
          `SELECT stream_id, metadata->>'requestId' AS request_id FROM events
            WHERE type = 'ReportMarkedOverdue' AND stream_id LIKE '%-2024-04' ORDER BY stream_id`,
        ),
      (rows) => rows.length === 3,
    );
    expect(overdue.map((r) => r.request_id)).toEqual(Array(3).fill('worker-redis-unavailable-sweep'));
    expect(worker.queue.ready).toBe(false);
  });
});
