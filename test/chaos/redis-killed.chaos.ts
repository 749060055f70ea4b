import { DEADLINE_JOBS } from '@app/application/deadlines/deadline-jobs';
import { cycles, localRedis, sleep } from './chaos-mode';
import { startDeadlineDrill } from './support/deadline-drill';
import { eventually } from './support/ledger';

/**
 * The machine's Redis is shut down (no persistence: it comes back empty) while clients write, and
 * March's deadline passes during the first outage. Writes all succeed, /health says 503 with redis down
 * while it is down and 200 after, the workers sweep in-process while Redis is gone and put their
 * schedulers back when it returns, and every missing report gets one overdue event, no more.
 */
const redis = localRedis();
const REDIS_URL = 'redis://127.0.0.1:6379/12';
const LEAD_MS = cycles(60_000, 25_000);
const OUTAGES = cycles(3, 1);
const DOWN_MS = cycles(8000, 5000);
const UP_MS = cycles(6000, 3000);
const maybe = redis ? describe : describe.skip;
if (!redis) console.warn('redis-killed: skipped (needs root and the local redis-server on 6379)');

maybe('Redis killed under traffic, across a deadline', () => {
  it('loses no write and no overdue event, doubles none, and reports and recovers from the outage', async () => {
    const drill = await startDeadlineDrill('rk', REDIS_URL, LEAD_MS);
    const outages: string[] = [];
    let march: Record<string, number> = {};
    const statuses = new Map<number, number>();
    let slowestWriteMs = 0;
    let running = true;
    let writer: Promise<void> | undefined;
    try {
      const admin = await drill.api.token('admin');
      writer = (async () => {
        for (let n = 0; running; n++) {
          const started = Date.now();
          // A write that waits for Redis would hang: give up after 15 s and count it as status 0.
          const res = await drill.api
            .as(admin)
            .post('/api/v1/users')
            .timeout(15_000)
            .send({
              username: `rk-${n}`,
              password: 'password-123',
              displayName: `rk-${n}`,
              role: 'auditor',
              unitCode: 'province',
            })
            .catch(() => ({ status: 0 }));
          slowestWriteMs = Math.max(slowestWriteMs, Date.now() - started);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          await sleep(50);
        }
      })();
      const health = () => drill.api.request().get('/health');

      for (let outage = 1; outage <= OUTAGES; outage++) {
        if (outage === 1) await sleep(Math.max(0, drill.deadlineAt - 3000 - Date.now()));
        else await sleep(UP_MS);
        redis!.stop();
        const downAt = Date.now();
        const down = await eventually(health, (r) => r.status === 503, 5000);
        expect(down.body).toMatchObject({ status: 'degraded', db: 'up', redis: 'down' });
        const reportedAfterMs = Date.now() - downAt;
        if (outage === 1) {
          // The deadline passes while Redis is gone: the workers' self-check sweeps in-process.
          march = await eventually(
            drill.marchRecorded,
            (by) => Object.values(by).reduce((a, b) => a + b, 0) >= drill.marchOwed,
            30_000,
          );
        }
        await sleep(Math.max(0, downAt + DOWN_MS - Date.now()));
        redis!.start();
        const upAt = Date.now();
        await eventually(health, (r) => r.status === 200, 15_000);
        const healthyAfterMs = Date.now() - upAt;
        await eventually(
          () => drill.queue.getJobSchedulersCount(),
          (n) => n === 5,
          15_000,
        );
        const schedulersAfterMs = Date.now() - upAt;
        // The queue runs jobs again, not only holds schedulers.
        await eventually(
          () => drill.queue.getJobs(['completed'], 0, 1000),
          (jobs) => jobs.some((j) => j.name === DEADLINE_JOBS.sweep && (j.finishedOn ?? 0) > upAt),
          15_000,
        );
        const jobsAfterMs = Date.now() - upAt;
        outages.push(
          `down ${upAt - downAt} ms, /health 503 after ${reportedAfterMs} ms, 200 ${healthyAfterMs} ms after restart, ` +
            `schedulers back after ${schedulersAfterMs} ms, a sweep job done after ${jobsAfterMs} ms`,
        );
      }
      await sleep(3000); // scheduled sweeps from both workers, through Redis again
      running = false;
      await writer;

      expect(await drill.checkOverdueOnce(drill.owed)).toBe(drill.owed);
      expect(march['worker-redis-unavailable-sweep']).toBeGreaterThan(0);
      expect([...statuses.keys()]).toEqual([201]);
      expect(drill.children.filter((c) => !c.alive()).map((c) => c.name)).toEqual([]);
      console.log(
        `redis-killed: ${OUTAGES} outage(s) [${outages.join('; ')}], ${statuses.get(201)} writes all 201 ` +
          `(slowest ${slowestWriteMs} ms), ${drill.owed} overdue owed and recorded once ` +
          `(March during the outage: ${JSON.stringify(march)})`,
      );
    } finally {
      running = false;
      try {
        // Never leave the machine without its Redis, whatever failed above.
        if (!redis!.answers()) redis!.start();
      } finally {
        await writer?.catch(() => undefined);
        await drill.close();
      }
    }
  });
});
