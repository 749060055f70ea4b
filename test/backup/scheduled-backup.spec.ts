import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { BACKUP_JOB, BackupJobs, BACKUPS_QUEUE } from '../../apps/worker/src/backups/backup-jobs';
import { ManualClock } from '../../libs/platform/src/clock';
import { Database } from '../../libs/platform/src/database';
import { eventually, startWorker, uniquePrefix } from '../deadlines/worker-harness';
import { createTestDatabase } from '../support/databases';
import { tempDir } from './support';

const REDIS_URL = 'redis://127.0.0.1:6379';
const EVERY_MS = 3_600_000;

jest.setTimeout(60_000);

/**
 * The worker's scheduled backup: a job scheduler in a queue of its own when BACKUP_DIR is set, none
 * when it is not, and a row in `backups` for every outcome, good or failed.
 */
describe('the scheduled backup', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let owner: Database;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let redis: Redis;
  const prefixes: string[] = [];
  const clock = new ManualClock(new Date('2024-01-10T02:00:00.000Z'));
  const rows = () =>
    owner.query<{
      ok: boolean;
      dir: string;
      head_position: string | null;
      head_hash: string | null;
      bytes: string | null;
      signed_checkpoints: number;
      error: string | null;
      started_at: Date;
      finished_at: Date | null;
    }>(
      `SELECT ok, dir, head_position, head_hash, bytes, signed_checkpoints, error, started_at, finished_at
         FROM backups ORDER BY id`,
    );
  const worker = (env: Record<string, string>) => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    return startWorker({ databaseUrl: database.url, redisUrl: REDIS_URL, prefix, clock, env }).then((w) => ({
      ...w,
      prefix,
    }));
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase();
    owner = await Database.create({ url: database.url, poolSize: 2 }).connect();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    tmp = await tempDir();
  });
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
    await owner.close();
    await database.drop();
    await tmp.remove();
  });

  it('with BACKUP_DIR set, schedules a backup every BACKUP_EVERY_MS and records the good one', async () => {
    const w = await worker({ BACKUP_DIR: tmp.path, BACKUP_EVERY_MS: String(EVERY_MS) });
    try {
      const queue = new Queue(BACKUPS_QUEUE, { connection: redis, prefix: w.prefix });
      const scheduler = await eventually(
        () => queue.getJobScheduler(BACKUP_JOB),
        (s) => s !== undefined,
      );
      expect(scheduler).toMatchObject({ every: EVERY_MS });
      await queue.close();

      // The scheduler's first job runs at once; the ledger holds the admin's creation and no more.
      const [done] = await eventually(rows, (r) => r.length > 0, 30_000);
      const [head] = await owner.query('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
      expect(done).toMatchObject({
        ok: true,
        dir: join(tmp.path, 'backup-2024-01-10T02-00-00-000Z'),
        head_position: head?.position ?? '0',
        error: null,
        signed_checkpoints: 0,
      });
      expect(Number(done.bytes)).toBeGreaterThan(0);
      const manifest = JSON.parse(await readFile(join(done.dir, 'manifest.json'), 'utf8'));
      expect(manifest.head.position).toBe(Number(done.head_position));
    } finally {
      await w.app.close();
    }
  });

  it('records a failed backup with its reason, and fails the job', async () => {
    const w = await worker({
      BACKUP_DIR: join(tmp.path, 'failing'),
      BACKUP_EVERY_MS: String(EVERY_MS),
      BACKUP_PG_BIN: '/nonexistent/bin',
    });
    try {
      const before = (await rows()).length;
      clock.set('2024-01-11T02:00:00.000Z');
      await expect(w.app.get(BackupJobs).run()).rejects.toThrow(/pg_dump/);
      const recorded = await eventually(rows, (r) => r.length > before);
      const failed = recorded.filter((r) => !r.ok);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.at(-1)).toMatchObject({
        ok: false,
        head_position: null,
        error: expect.stringContaining('pg_dump'),
      });
      expect(existsSync(join(failed.at(-1)!.dir, 'manifest.json'))).toBe(false);
    } finally {
      await w.app.close();
    }
  });

  it('schedules nothing when BACKUP_DIR is unset', async () => {
    const w = await worker({});
    try {
      await w.schedules.startup;
      const queue = new Queue(BACKUPS_QUEUE, { connection: redis, prefix: w.prefix });
      expect(w.app.get(BackupJobs).enabled).toBe(false);
      expect(await queue.getJobSchedulersCount()).toBe(0);
      await queue.close();
    } finally {
      await w.app.close();
    }
  });
});
