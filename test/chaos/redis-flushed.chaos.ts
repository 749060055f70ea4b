import Redis from 'ioredis';
import { cycles, sleep } from './chaos-mode';
import { startDeadlineDrill } from './support/deadline-drill';
import { eventually } from './support/ledger';

/**
 * Redis loses everything again and again (FLUSHDB of a Redis database index of its own, so no other
 * test is touched) while clients write and March's deadline passes. Writes all succeed, the workers put
 * their schedulers back within a self-check, and every missing report gets one overdue event, no more.
 */
const REDIS_URL = 'redis://127.0.0.1:6379/12';
const LEAD_MS = cycles(60_000, 25_000);
const FLUSH_EVERY_MS = cycles(1500, 3000);

describe('Redis flushed under traffic, across a deadline', () => {
  it('loses no write and no overdue event, doubles none, and gets its schedulers back', async () => {
    const drill = await startDeadlineDrill('rf', REDIS_URL, LEAD_MS);
    const flusher = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    let running = true;
    try {
      const admin = await drill.api.token('admin');
      const statuses = new Map<number, number>();
      const writer = (async () => {
        for (let n = 0; running; n++) {
          const res = await drill.api
            .as(admin)
            .post('/api/v1/users')
            .timeout(15_000)
            .send({
              username: `rf-${n}`,
              password: 'password-123',
              displayName: `rf-${n}`,
              role: 'auditor',
              unitCode: 'province',
            })
            .catch(() => ({ status: 0 }));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          await sleep(50);
        }
      })();

      const recoveries: number[] = [];
      while (Date.now() < drill.deadlineAt + 4000) {
        await sleep(FLUSH_EVERY_MS);
        await flusher.flushdb();
        const flushedAt = Date.now();
        await eventually(
          () => drill.queue.getJobSchedulersCount(),
          (n) => n === 5,
          10_000,
        );
        recoveries.push(Date.now() - flushedAt);
      }
      running = false;
      await writer;

      const march = await eventually(
        drill.marchRecorded,
        (by) => Object.values(by).reduce((a, b) => a + b, 0) >= drill.marchOwed,
        30_000,
      );
      await sleep(3000); // several more sweeps from both workers
      expect(await drill.checkOverdueOnce(drill.owed)).toBe(drill.owed);
      // Redis stayed up: the schedulers' jobs recorded March, not only the fallback without Redis.
      expect(march.job).toBeGreaterThan(0);
      expect([...statuses.keys()]).toEqual([201]);
      expect((await drill.api.request().get('/health')).status).toBe(200);
      expect(drill.children.filter((c) => !c.alive()).map((c) => c.name)).toEqual([]);
      console.log(
        `redis-flushed: ${recoveries.length} FLUSHDB, schedulers back after at most ${Math.max(...recoveries)} ms, ` +
          `${statuses.get(201)} writes all 201, ${drill.owed} overdue owed and recorded once (March: ${JSON.stringify(march)})`,
      );
    } finally {
      running = false;
      flusher.disconnect();
      await drill.close();
    }
  });
});
