import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { CheckpointStore } from '@app/application/audit/checkpoints';
import { recordBackup } from '@app/application/backup/backup-records';
import { takeBackup } from '@app/application/backup/take-backup';
import { bullConnection, closeWithin } from '@app/application/deadlines/deadline-queue';
import { AppConfig } from '@app/platform/config';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';

export const BACKUPS_QUEUE = 'backups';
export const BACKUP_JOB = 'ledger-backup';

/** One directory per backup, named by when it began, so they sort by time and never collide. */
export const backupDirName = (at: Date) => `backup-${at.toISOString().replace(/[:.]/g, '-')}`;

/**
 * The scheduled backup: a BullMQ job scheduler every BACKUP_EVERY_MS into a new directory under
 * BACKUP_DIR; off when BACKUP_DIR is unset. A queue of its own, so a long pg_dump never holds up a
 * deadline sweep. Every outcome, good or failed, is a row of `backups`, which GET /health reads.
 */
@Injectable()
export class BackupJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BackupJobs.name);
  private connections: Redis[] = [];
  private queue?: Queue;
  private worker?: Worker;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Database,
    private readonly checkpoints: CheckpointStore,
  ) {}

  get enabled(): boolean {
    return this.config.BACKUP_DIR !== undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const queueConnection = bullConnection(this.config.REDIS_URL, this.logger, 'backups-queue');
    const workerConnection = bullConnection(this.config.REDIS_URL, this.logger, 'backups-worker');
    this.connections = [queueConnection, workerConnection];
    this.queue = new Queue(BACKUPS_QUEUE, { connection: queueConnection, prefix: this.config.BULLMQ_PREFIX });
    this.queue.on('error', (error) => this.logger.debug({ msg: 'queue error', err: String(error) }));
    this.worker = new Worker(BACKUPS_QUEUE, () => this.run(), {
      connection: workerConnection,
      prefix: this.config.BULLMQ_PREFIX,
      concurrency: 1,
      lockDuration: this.config.WORKER_JOB_LOCK_MS,
      stalledInterval: this.config.WORKER_JOB_LOCK_MS,
      name: `${hostname()}:${process.pid}`,
    });
    this.worker.on('error', (error) => this.logger.debug({ msg: 'worker error', err: String(error) }));
    // Upserted again on the self-check interval: that is what brings the scheduler back after a flush.
    void this.ensureScheduler();
    this.timer = setInterval(() => void this.ensureScheduler(), this.config.WORKER_SELF_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const graceful = this.connections[1]?.status === 'ready';
    await closeWithin(graceful ? 10_000 : 3000, this.worker?.close(!graceful));
    await closeWithin(3000, this.queue?.close());
    for (const c of this.connections) c.disconnect();
  }

  async ensureScheduler(): Promise<boolean> {
    if (!this.queue || this.connections[0]?.status !== 'ready') return false;
    try {
      await this.queue.upsertJobScheduler(
        BACKUP_JOB,
        { every: this.config.BACKUP_EVERY_MS },
        {
          name: BACKUP_JOB,
          data: {},
          opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        },
      );
      return true;
    } catch (error) {
      this.logger.warn({ msg: 'backup scheduler not upserted', err: String(error) });
      return false;
    }
  }

  /** Takes one backup and records how it went; a failure is recorded and then fails the job. */
  async run(): Promise<{ dir: string; head: { position: number; hash: string }; bytes: number }> {
    const startedAt = this.clock.now();
    const dir = join(this.config.BACKUP_DIR!, backupDirName(startedAt));
    try {
      const outcome = await takeBackup(dir, {
        db: this.db,
        databaseUrl: this.config.DATABASE_URL,
        checkpoints: this.checkpoints,
        checkpointDir: this.config.AUDIT_CHECKPOINT_DIR,
        pgBin: this.config.BACKUP_PG_BIN,
        now: () => this.clock.now(),
      });
      const signedCheckpoints = outcome.publicKey
        ? outcome.checkpoints.inDump + outcome.checkpoints.files
        : 0;
      await recordBackup(this.db, {
        startedAt,
        finishedAt: this.clock.now(),
        ok: true,
        dir,
        head: outcome.head,
        bytes: outcome.bytes,
        signedCheckpoints,
      });
      this.logger.log({ msg: 'backup done', dir, head: outcome.head.position, bytes: outcome.bytes });
      return { dir, head: outcome.head, bytes: outcome.bytes };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      await recordBackup(this.db, {
        startedAt,
        finishedAt: this.clock.now(),
        ok: false,
        dir,
        error: message,
      }).catch((e) => this.logger.warn({ msg: 'backup outcome not recorded', err: String(e) }));
      this.logger.error({ msg: 'backup failed', dir, err: message });
      throw error;
    }
  }
}
