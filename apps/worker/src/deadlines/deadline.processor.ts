import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { DomainError, parsePeriod } from '@app/domain';
import { CheckpointStore } from '@app/application/audit/checkpoints';
import { justPassedDeadlines } from '@app/application/deadlines/deadline-calendar';
import {
  DEADLINE_JOBS,
  DEADLINES_QUEUE,
  deadlineSweepJobId,
  type SweepJobData,
} from '@app/application/deadlines/deadline-jobs';
import { DeadlineSweep } from '@app/application/deadlines/deadline-sweep.service';
import { DueReports } from '@app/application/deadlines/due-reports';
import { ReminderService } from '@app/application/deadlines/reminders.service';
import { ScanDeliveries } from '@app/application/scans/scan-deliveries';
import { Housekeeping } from '@app/application/housekeeping';
import { AppConfig } from '@app/platform/config';
import { Clock } from '@app/platform/clock';
import { bullConnection, closeWithin, DeadlineQueue } from '@app/application/deadlines/deadline-queue';
import { JOB_OPTIONS } from './deadline-schedules';

/** How long after a deadline the watch still queues its sweep: a few missed ticks are forgiven. */
const WATCH_WINDOW_MS = 15 * 60_000;

/**
 * Runs the jobs of the 'deadlines' queue. Each processor derives its work from PostgreSQL and is
 * idempotent, so BullMQ's at-least-once delivery (retries, a stalled job taken over by another worker)
 * is harmless. A job a rule rejects fails with UnrecoverableError instead of being retried.
 */
@Injectable()
export class DeadlineProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineProcessor.name);
  private worker?: Worker;
  private connection?: Redis;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly queue: DeadlineQueue,
    private readonly due: DueReports,
    private readonly sweep: DeadlineSweep,
    private readonly reminders: ReminderService,
    private readonly checkpoints: CheckpointStore,
    private readonly scans: ScanDeliveries,
    private readonly housekeeping: Housekeeping,
  ) {}

  onApplicationBootstrap(): void {
    // Without Redis there are no jobs to take; DeadlineSchedules does the same work on its own timer.
    if (!this.queue.enabled) return;
    this.connection = bullConnection(this.config.REDIS_URL, this.logger, 'deadlines-worker');
    this.worker = new Worker(DEADLINES_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.BULLMQ_PREFIX,
      concurrency: 1,
      lockDuration: this.config.WORKER_JOB_LOCK_MS,
      stalledInterval: this.config.WORKER_JOB_LOCK_MS,
      // Shown as the job's processedBy: which process ran (or was running) it when one is lost.
      name: `${hostname()}:${process.pid}`,
    });
    this.worker.on('error', (error) => this.logger.debug({ msg: 'worker error', err: String(error) }));
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ msg: 'job failed', job: job?.name, id: job?.id, err: String(error) }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    // A graceful close waits for Redis to confirm; with Redis gone it would wait forever.
    const graceful = this.connection?.status === 'ready';
    await closeWithin(graceful ? 10_000 : 3000, this.worker?.close(!graceful));
    this.connection?.disconnect();
  }

  async process(job: Job): Promise<unknown> {
    try {
      switch (job.name) {
        case DEADLINE_JOBS.sweep:
          return await this.runSweep(job as Job<SweepJobData>);
        case DEADLINE_JOBS.watch:
          return await this.watch();
        case DEADLINE_JOBS.reminders:
          return await this.reminders.run();
        case DEADLINE_JOBS.checkpoint:
          return (await this.checkpoints.sign('scheduled')) ?? null;
        case DEADLINE_JOBS.scanDeliveries:
          return await this.deliverScans();
        case DEADLINE_JOBS.housekeeping:
          return await this.housekeeping.run();
        default:
          throw new UnrecoverableError(`unknown job ${job.name}`);
      }
    } catch (error) {
      if (error instanceof DomainError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  private async runSweep(job: Job<SweepJobData>) {
    const data = job.data ?? { trigger: 'schedule' };
    if (data.trigger === 'deadline' && (!data.period || !parsePeriod(data.period))) {
      throw new UnrecoverableError(`deadline sweep without a valid period: ${JSON.stringify(data)}`);
    }
    const summary = await this.sweep.run({
      requestId: `job-${job.id}`,
      deadlinePassed: data.trigger === 'deadline',
    });
    // Appends that failed for another reason than a race: let BullMQ retry the whole (idempotent) sweep.
    if (summary.failed > 0) throw new Error(`${summary.failed} overdue report(s) not recorded`);
    return { ...summary, recorded: summary.recorded.length };
  }

  /** A refused delivery stays on record and fails the job, so BullMQ retries it with backoff. */
  private async deliverScans() {
    const summary = await this.scans.run();
    if (summary.failed > 0) throw new Error(`${summary.failed} scan(s) not delivered to the province inbox`);
    return summary;
  }

  /** Queues one sweep per deadline that has just passed, under an id every worker computes alike. */
  private async watch() {
    const passed = justPassedDeadlines(await this.due.plans(), this.clock.now(), WATCH_WINDOW_MS);
    for (const d of passed) {
      const data: SweepJobData = {
        trigger: 'deadline',
        period: d.period,
        deadline: d.deadline.toISOString(),
      };
      await this.queue.queue.add(DEADLINE_JOBS.sweep, data, {
        ...JOB_OPTIONS,
        jobId: deadlineSweepJobId(d.period),
      });
    }
    return { queued: passed.map((d) => d.period) };
  }
}
