import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type MarkOverdue, owes, reportDecider, reportStreamId, SYSTEM_ACTOR } from '@app/domain';
import { VersionConflictError } from '@app/event-store';
import { Clock } from '@app/platform/clock';
import { CheckpointStore } from '../audit/checkpoints';
import { CommandExecutor } from '../command-executor';
import { currentContext, requestContext } from '../request-context';
import { passedDeadlines } from './deadline-calendar';
import { DueReports } from './due-reports';

export interface SweepSummary {
  checkedAt: string;
  /** (unit, month) pairs whose deadline has passed. */
  due: number;
  onTime: number;
  /** Submitted (revision 1, leader-signed) at or after the deadline: no longer missing. */
  late: number;
  /** Nothing submitted: each has exactly one overdue event once this sweep is done. */
  missing: number;
  overdueRecorded: number;
  /** Candidates a racing writer (another worker, a late submission) settled first. */
  settledElsewhere: number;
  failed: number;
  recorded: { unitCode: string; period: string; deadline: string }[];
}

interface Candidate {
  unitCode: string;
  period: string;
  deadline: Date;
}

const PARALLEL = 8;
const ATTEMPTS = 3;

/**
 * Records one overdue event per (unit, month) that had nothing submitted when its deadline passed.
 * What is due comes from PostgreSQL every time, so repeated, concurrent or retried sweeps agree; the
 * report decider answers "nothing to do" for anything already marked or submitted.
 */
@Injectable()
export class DeadlineSweep {
  private readonly logger = new Logger(DeadlineSweep.name);

  constructor(
    private readonly due: DueReports,
    private readonly executor: CommandExecutor,
    private readonly checkpoints: CheckpointStore,
    private readonly clock: Clock,
  ) {}

  /**
   * `requestId` ties the recorded events to the job or request that ran the sweep; `deadlinePassed`
   * asks for a signed checkpoint even when nothing was missing.
   */
  async run(options: { requestId?: string; deadlinePassed?: boolean } = {}): Promise<SweepSummary> {
    const now = this.clock.now();
    const candidates: Candidate[] = [];
    const summary: SweepSummary = {
      checkedAt: now.toISOString(),
      due: 0,
      onTime: 0,
      late: 0,
      missing: 0,
      overdueRecorded: 0,
      settledElsewhere: 0,
      failed: 0,
      recorded: [],
    };
    const pairs: Candidate[] = [];
    for (const plan of await this.due.plans()) {
      const passed = passedDeadlines(plan, now);
      if (passed.length === 0) continue;
      const units = await this.due.unitsOf(plan.year);
      for (const unit of units)
        for (const d of passed) {
          // Nobody is missing a month nobody owed.
          if (owes(unit.owedFrom, d.period))
            pairs.push({ unitCode: unit.code, period: d.period, deadline: d.deadline });
        }
    }
    const markOf = await this.due.marks(pairs);
    for (const pair of pairs) {
      const mark = markOf(pair);
      summary.due++;
      if (mark.firstSubmittedAt === null) {
        summary.missing++;
        if (!mark.overdue) candidates.push(pair);
      } else if (mark.firstSubmittedAt.getTime() < pair.deadline.getTime()) summary.onTime++;
      else {
        summary.late++;
        // Filed late before any sweep saw it missing: the overdue fact is still owed to the ledger.
        if (!mark.overdue) candidates.push(pair);
      }
    }

    // Outside the caller's request context: an Idempotency-Key guards the request, not each append.
    const outer = currentContext();
    const requestId = options.requestId ?? outer?.requestId ?? `deadline-sweep-${randomUUID()}`;
    const context = {
      requestId,
      correlationId: outer?.correlationId ?? requestId,
      clientRequestId: outer?.clientRequestId,
    };
    await requestContext.run(context, () =>
      forEachLimited(candidates, PARALLEL, async (c) => {
        const outcome = await this.markOverdue(c);
        if (outcome === 'recorded') {
          summary.overdueRecorded++;
          summary.recorded.push({
            unitCode: c.unitCode,
            period: c.period,
            deadline: c.deadline.toISOString(),
          });
        } else if (outcome === 'settled') summary.settledElsewhere++;
        else summary.failed++;
      }),
    );
    summary.recorded.sort((a, b) => a.period.localeCompare(b.period) || a.unitCode.localeCompare(b.unitCode));
    if (summary.overdueRecorded > 0 || options.deadlinePassed) await this.signCheckpoint();
    if (summary.overdueRecorded > 0 || summary.failed > 0) {
      this.logger.log({ msg: 'deadline sweep', ...summary, recorded: undefined });
    }
    return summary;
  }

  private async markOverdue(c: Candidate): Promise<'recorded' | 'settled' | 'failed'> {
    const streamId = reportStreamId(c.unitCode, c.period);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.executor.execute({
          streamId,
          decider: reportDecider,
          actor: SYSTEM_ACTOR,
          command: (now): MarkOverdue => ({
            type: 'MarkOverdue',
            data: { deadline: c.deadline.toISOString() },
            at: now.toISOString(),
            actor: SYSTEM_ACTOR,
          }),
        });
        return result.events.length > 0 ? 'recorded' : 'settled';
      } catch (error) {
        // Another worker (or the unit's leader) appended first: reload and let the decider judge again.
        if (error instanceof VersionConflictError && attempt < ATTEMPTS) continue;
        this.logger.warn({ msg: 'overdue not recorded', streamId, err: String(error) });
        return 'failed';
      }
    }
  }

  private async signCheckpoint(): Promise<void> {
    try {
      await this.checkpoints.sign('deadline');
    } catch (error) {
      this.logger.warn({ msg: 'deadline checkpoint not signed', err: String(error) });
    }
  }
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
