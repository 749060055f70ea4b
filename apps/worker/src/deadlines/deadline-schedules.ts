import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DEADLINE_JOBS, type DeadlineJobName } from '@app/application/deadlines/deadline-jobs';
import { CheckpointStore } from '@app/application/audit/checkpoints';
import { DeadlineQueue } from '@app/application/deadlines/deadline-queue';
import { DeadlineSweep } from '@app/application/deadlines/deadline-sweep.service';
import { ReminderService } from '@app/application/deadlines/reminders.service';
import { ScanDeliveries } from '@app/application/scans/scan-deliveries';
import { AppConfig } from '@app/platform/config';

const HOUR_MS = 3_600_000;

export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/**
 * Every scheduler is `every`, not a cron pattern: BullMQ times schedulers by the machine's clock, and
 * a pattern pinned to the calendar ("00:01 on the 31st") would ignore FAKE_NOW in drills. Instead the
 * watch ticks every minute and asks the injected clock whether a month's deadline has just passed;
 * if so it queues a sweep for that month (see DeadlineProcessor), so the lag after a deadline is about
 * a minute whatever the clock says, and nothing has to be re-planned when a plan is published.
 */
export function schedulerSpecs(config: AppConfig): { id: DeadlineJobName; every: number }[] {
  return [
    { id: DEADLINE_JOBS.sweep, every: config.WORKER_SWEEP_EVERY_MS },
    { id: DEADLINE_JOBS.watch, every: config.WORKER_WATCH_EVERY_MS },
    { id: DEADLINE_JOBS.reminders, every: HOUR_MS },
    { id: DEADLINE_JOBS.checkpoint, every: config.AUDIT_CHECKPOINT_EVERY_MS },
    { id: DEADLINE_JOBS.housekeeping, every: HOUR_MS },
  ];
}

/**
 * Keeps the schedulers in Redis and catches up from PostgreSQL. At start it sweeps and reminds at once
 * (whatever passed while no worker ran), then every WORKER_SELF_CHECK_MS it upserts the schedulers
 * again (idempotent, and what brings them back after FLUSHALL or a Redis restart without
 * persistence). While Redis is unreachable it sweeps in-process instead, so no deadline waits for Redis.
 * Without Redis by design (REDIS_URL=none) that in-process sweep is the schedule, and it also signs
 * the checkpoint that the `ledger-checkpoint` job would, every AUDIT_CHECKPOINT_EVERY_MS.
 */
@Injectable()
export class DeadlineSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineSchedules.name);
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private stopped = false;
  private lastCheckpoint = Date.now();
  /** Settles when the start-up catch-up is done (tests and shutdown wait for it). */
  startup: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: DeadlineQueue,
    private readonly sweep: DeadlineSweep,
    private readonly reminders: ReminderService,
    private readonly config: AppConfig,
    private readonly scans: ScanDeliveries,
    private readonly checkpoints: CheckpointStore,
  ) {}

  onApplicationBootstrap(): void {
    this.startup = this.catchUp('start');
    void this.startup.then(() => this.selfCheck());
    this.timer = setInterval(() => void this.selfCheck(), this.config.WORKER_SELF_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.startup;
    await this.checking;
  }

  /** Upserts every scheduler; false when Redis is not there to take them. */
  async ensureSchedulers(): Promise<boolean> {
    if (!(await this.queue.whenReady(2000))) return false;
    try {
      for (const spec of schedulerSpecs(this.config)) {
        await this.queue.queue.upsertJobScheduler(
          spec.id,
          { every: spec.every },
          {
            name: spec.id,
            data: spec.id === DEADLINE_JOBS.sweep ? { trigger: 'schedule' } : {},
            opts: JOB_OPTIONS,
          },
        );
      }
      return true;
    } catch (error) {
      this.logger.warn({ msg: 'job schedulers not upserted', err: String(error) });
      return false;
    }
  }

  private selfCheck(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // One check at a time: a slow database must not pile up sweeps.
    this.checking ??= (async () => {
      try {
        if (!this.queue.enabled) await this.withoutRedis();
        else if (!(await this.ensureSchedulers())) await this.catchUp('redis-unavailable');
        // Sealed forms whose wake-up job was lost (Redis away at upload) or whose delivery failed: from PostgreSQL.
        await this.deliverScans();
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  private async deliverScans(): Promise<void> {
    try {
      await this.scans.run();
    } catch (error) {
      this.logger.warn({ msg: 'scan deliveries failed', err: String(error) });
    }
  }

  private async withoutRedis(): Promise<void> {
    await this.catchUp('no-redis');
    if (Date.now() - this.lastCheckpoint < this.config.AUDIT_CHECKPOINT_EVERY_MS) return;
    this.lastCheckpoint = Date.now();
    await this.checkpoints
      .sign('scheduled')
      .catch((error) => this.logger.warn({ msg: 'scheduled checkpoint failed', err: String(error) }));
  }

  private async catchUp(reason: string): Promise<void> {
    try {
      const swept = await this.sweep.run({ requestId: `worker-${reason}-sweep` });
      const reminded = await this.reminders.run();
      const scans = await this.scans.run();
      this.logger.log({
        msg: 'deadline catch-up',
        reason,
        overdueRecorded: swept.overdueRecorded,
        remindersSent: reminded.remindersSent,
        digestsSent: reminded.digestsSent,
        scansSent: scans.sent,
      });
    } catch (error) {
      this.logger.warn({ msg: 'deadline catch-up failed', reason, err: String(error) });
    }
  }
}
