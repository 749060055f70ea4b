import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DEADLINE_JOBS, DEADLINES_QUEUE, deadlineSweepJobId } from '@app/application/deadlines/deadline-jobs';
import { publishPlan2024 } from '../support/plan';
import { cycles, FULL, sleep } from './chaos-mode';
import { type Child, startApi, startWorker, stopAll, uniquePrefix } from './support/children';
import { eventually, type Ledger, privateLedger } from './support/ledger';
import { asHarness, remote } from './support/remote';

/**
 * A deadline sweep is running in worker A when A gets SIGKILL. Its lock runs out (WORKER_JOB_LOCK_MS),
 * worker B takes the same job over and finishes it; every missing report has exactly one overdue event.
 * Both workers start before the plan exists, so their start-up catch-up finds nothing: only the job
 * records overdue events.
 */
const CYCLES = cycles(3, 1);
const REDIS_URL = 'redis://127.0.0.1:6379';
// 10:00 on 31 December in Shanghai: all twelve deadlines of 2024 have passed, none in the last hour.
const FAKE_NOW = '2024-12-31T02:00:00.000Z';
const LOCK_MS = 2000;
const MONTHS = 12;

describe('worker killed mid-job', () => {
  const figures: string[] = [];
  afterAll(() => console.log(`worker-killed: ${figures.join('; ')}`));

  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    it(`a sweep job killed with its worker is finished by the other worker, once (cycle ${cycle})`, async () => {
      const prefix = uniquePrefix('wk');
      let ledger: Ledger | undefined;
      let children: Child[] = [];
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue(DEADLINES_QUEUE, { connection: redis, prefix });
      try {
        ledger = await privateLedger();
        const options = {
          databaseUrl: ledger.url,
          redisUrl: REDIS_URL,
          prefix,
          fakeNow: FAKE_NOW,
          env: {
            // Only the job under test sweeps: the schedulers' own sweeps and the watch stay out of the way.
            WORKER_SWEEP_EVERY_MS: '86400000',
            WORKER_WATCH_EVERY_MS: '86400000',
            WORKER_SELF_CHECK_MS: '600000',
            WORKER_JOB_LOCK_MS: String(LOCK_MS),
          },
        };
        children = await Promise.all([
          startApi('api', options),
          startWorker('worker-1', options),
          startWorker('worker-2', options),
        ]);
        const [api, ...workers] = children;
        // The schedulers' first (immediate) jobs ran against an empty plan table: let them finish.
        await eventually(
          async () => ({
            schedulers: await queue.getJobSchedulersCount(),
            busy: (await queue.getJobCounts('active', 'wait', 'prioritized')) as Record<string, number>,
          }),
          (s) => s.schedulers === 5 && Object.values(s.busy).every((n) => n === 0),
        );

        const client = remote(api.url);
        // Owed from January, so the December sweep has a whole year of missing reports to record.
        await publishPlan2024(asHarness(client), { reportingFrom: '2024-01' });
        const [{ units }] = await ledger.db.query<{ units: number }>(
          'SELECT count(*)::int AS units FROM plan_units WHERE year = 2024',
        );
        const expected = units * MONTHS;

        const jobId = deadlineSweepJobId('2024-12');
        const started = Date.now();
        await queue.add(
          DEADLINE_JOBS.sweep,
          { trigger: 'deadline', period: '2024-12', deadline: '2024-12-30T16:00:00.000Z' },
          { jobId, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
        );
        // Kill whoever runs it once a share of the work is done (a different share each cycle).
        const killAt = Math.floor(expected * (FULL ? 0.1 + 0.6 * Math.random() : 0.25));
        let victim: Child | undefined;
        while (!victim) {
          const job = await queue.getJob(jobId);
          const state = await job?.getState();
          if (state === 'completed' || state === 'failed')
            throw new Error(`the sweep finished (${state}) before it could be killed`);
          if (state === 'active' && job?.processedBy && (await ledger.overdueCount()) >= killAt)
            victim = workers.find((w) => w.bullName === job.processedBy);
          else await sleep(10);
          if (Date.now() - started > 30_000) throw new Error('the sweep never got going');
        }
        await victim.kill('SIGKILL');
        const killedAt = Date.now();
        await sleep(300); // commits the server had already received when the socket closed
        const beforeKill = await ledger.overdueCount();
        expect(beforeKill).toBeLessThan(expected);
        const survivor = workers.find((w) => w !== victim)!;

        const done = await eventually(
          async () => {
            const job = await queue.getJob(jobId);
            return { state: await job?.getState(), job };
          },
          (j) => j.state === 'completed' || j.state === 'failed',
          30_000,
        );
        const takenOverMs = Date.now() - killedAt;
        expect(done.state).toBe('completed');
        expect(done.job!.processedBy).toBe(survivor.bullName);
        expect(done.job!.stalledCounter).toBeGreaterThanOrEqual(1);
        expect(done.job!.returnvalue.overdueRecorded).toBe(expected - beforeKill);
        expect(survivor.alive()).toBe(true);

        const rows = await ledger.overdue();
        expect(rows.filter((r) => r.n !== 1)).toEqual([]);
        expect(rows).toHaveLength(expected);
        const byRequest = await ledger.db.query<{ request_id: string; n: number }>(
          `SELECT metadata->>'requestId' AS request_id, count(*)::int AS n FROM events
            WHERE type = 'ReportMarkedOverdue' GROUP BY 1`,
        );
        expect(byRequest).toEqual([{ request_id: `job-${jobId}`, n: expected }]);
        figures.push(
          `cycle ${cycle}: ${expected} overdue owed, ${beforeKill} recorded by the killed worker, ` +
            `${expected - beforeKill} by the same job in the other worker ${takenOverMs} ms after the kill, 0 doubled`,
        );
      } finally {
        await stopAll(children);
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        redis.disconnect();
        await ledger?.close();
      }
    });
  }
});
