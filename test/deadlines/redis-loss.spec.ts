import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import Redis from 'ioredis';
import { DeadlineProcessor } from '../../apps/worker/src/deadlines/deadline.processor';
import { ManualClock } from '../../libs/platform/src/clock';
import { Database } from '../../libs/platform/src/database';
import { createTestDatabase } from '../support/databases';
import { seeder } from './seed';
import { sweepProcess } from './sweep-fixture';
import { eventually, startWorker, uniquePrefix } from './worker-harness';

/**
 * A Redis DB index of its own, so FLUSHDB here (what FLUSHALL does to every index) cannot disturb
 * other test files; the key prefix is unique per run as well.
 */
const REDIS_URL = 'redis://127.0.0.1:6379/13';

type Worker = Awaited<ReturnType<typeof startWorker>>;

jest.setTimeout(30_000);

describe('deadlines when Redis loses everything', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let owner: Database;
  let clock: ManualClock;
  let workers: Worker[] = [];
  let redis: Redis;
  const prefix = uniquePrefix();

  const overdue = () =>
    owner.query<{ stream_id: string; n: number; request_id: string }>(
      `SELECT stream_id, count(*)::int AS n, min(metadata->>'requestId') AS request_id FROM events
        WHERE type = 'ReportMarkedOverdue' GROUP BY stream_id ORDER BY stream_id`,
    );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase();
    owner = await Database.create({ url: database.url, poolSize: 2 }).connect();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    clock = new ManualClock(new Date('2024-03-01T02:00:00Z'));
    const seeding = await sweepProcess(database.url, clock);
    const seed = seeder(seeding.executor, clock);
    await seed.publishPlan(2024, { at: '2024-03-01T02:00:00Z' });
    await seed.registerSchool('R01-S01', 'R01', '2024-03-01T03:00:00Z');
    await seed.publishSplit('R01', ['R01-S01'], '2024-03-01T03:00:00Z');
    await seed.submit('U01', '2024-03', '2024-03-20T03:00:00Z');
    await seeding.close();

    clock.set('2024-03-30T15:58:00Z');
    // Two workers starting at the same instant, as after a deployment.
    workers = await Promise.all(
      [1, 2].map(() => startWorker({ databaseUrl: database.url, redisUrl: REDIS_URL, prefix, clock })),
    );
    await Promise.all(workers.map((w) => w.schedules.startup));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.app.close()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await owner.close();
    await database.drop();
  });

  it('catches up at start: months that passed while no worker ran are recorded once', async () => {
    const rows = await overdue();
    // January and February for R01, U01 and H01; March is not due yet. The school first held a
    // published share in March, so it never owed January or February.
    expect(rows.map((r) => r.stream_id)).toEqual(
      ['H01', 'R01', 'U01'].flatMap((u) => [`report-${u}-2024-01`, `report-${u}-2024-02`]),
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('registers its job schedulers, once, from two workers', async () => {
    const schedulers = await eventually(
      () => workers[0].queue.queue.getJobSchedulers(),
      (s) => s.length === 5,
    );
    expect(schedulers.map((s) => s.key).sort()).toEqual([
      'deadline-sweep',
      'deadline-watch',
      'housekeeping',
      'ledger-checkpoint',
      'reminders',
    ]);
  });

  it('restores its schedulers after FLUSHDB and still records the deadline that passes', async () => {
    await eventually(
      () => workers[0].queue.queue.getJobSchedulersCount(),
      (n) => n === 5,
    );
    const [, [, left]] = (await redis.multi().flushdb().zcard(`${prefix}:deadlines:repeat`).exec()) as any;
    expect(left).toBe(0);
    clock.set('2024-03-30T16:00:30Z');

    const schedulers = await eventually(
      () => workers[1].queue.queue.getJobSchedulers(),
      (s) => s.length === 5,
    );
    expect(schedulers.map((s) => s.key)).toContain('deadline-sweep');

    const march = await eventually(
      async () => (await overdue()).filter((r) => r.stream_id.endsWith('2024-03')),
      (rows) => rows.length === 3,
    );
    expect(march.map((r) => r.stream_id)).toEqual([
      'report-H01-2024-03',
      'report-R01-2024-03',
      'report-R01-S01-2024-03',
    ]);
    expect(march.every((r) => r.n === 1)).toBe(true);
    // Recorded by a BullMQ job, not by the start-up catch-up: the queue works again.
    expect(march.every((r) => r.request_id.startsWith('job-'))).toBe(true);
  });

  it('queues one sweep per passed deadline under a deterministic id', async () => {
    const job = await eventually(
      () => workers[0].queue.queue.getJob('deadline-sweep-2024-03'),
      (j) => j !== undefined,
    );
    expect(job!.data).toEqual({
      trigger: 'deadline',
      period: '2024-03',
      deadline: '2024-03-30T16:00:00.000Z',
    });
    const signed = await eventually(
      () => owner.query(`SELECT reason FROM audit_checkpoints WHERE reason = 'deadline'`),
      (rows) => rows.length > 0,
    );
    expect(signed.length).toBeGreaterThan(0);
  });

  it('never records a second overdue event, however many sweeps ran', async () => {
    await new Promise((r) => setTimeout(r, 2500)); // several more scheduled sweeps from both workers
    const rows = await overdue();
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('fails a job a rule rejects without retrying it', async () => {
    const processor = workers[0].app.get(DeadlineProcessor);
    await expect(processor.process({ name: 'no-such-job', data: {} } as any)).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    await expect(
      processor.process({
        name: 'deadline-sweep',
        id: 'x',
        data: { trigger: 'deadline', period: '2024-13' },
      } as any),
    ).rejects.toBeInstanceOf(UnrecoverableError);
  });
});
