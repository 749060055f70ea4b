import {
  Command,
  CommandHandler,
  type ICommandHandler,
  IQueryHandler,
  Query,
  QueryHandler,
} from '@nestjs/cqrs';
import {
  type AmendReport,
  cumulativeFigures,
  type EnterFigures,
  fold,
  type FormAtSignature,
  type RefuseSignature,
  type ReportCommand,
  type ReportEvent,
  reportStreamId,
  type ReviewReport,
  type SignAsFiller,
  type SignAsLeader,
  yearClosed,
  zeroFigures,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import { PlanService } from '../plan/plan.service';
import { reportFoldDecider, withStoredTimes } from './report-fold';
import { type ReportScope, ReportScopes } from './report-scope';
import { type ReportView, ReportViews } from './report-view';
import { mayReview } from './reviewer';
import type { Stated } from '../stated';

type ReportAnswer = { body: ReportView; version: number };

/** The report commands a person sends (the system's MarkOverdue and AttachScan come another way). */
export type StatedReportCommand =
  | Stated<EnterFigures, 'periodStart' | 'periodInPlan'>
  | Stated<SignAsFiller>
  | Stated<SignAsLeader, 'form'>
  | Stated<RefuseSignature>
  | Stated<ReviewReport, 'requireScan'>
  | Stated<AmendReport>;

/** One step of a monthly report's approval chain, with the version the caller last saw (If-Match). */
export class ReportStepCommand extends Command<ReportAnswer> {
  constructor(
    readonly unitCode: string,
    readonly period: string,
    readonly command: StatedReportCommand,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

/**
 * The approval chain's use case. The caller's right to the unit is checked at the door; here the unit and
 * month are resolved against the plan (404 outside it), the command gets what the plan knows, the decider
 * judges the rest through the executor, and the answer is the report's new view.
 */
@CommandHandler(ReportStepCommand)
export class ReportStepHandler implements ICommandHandler<ReportStepCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly scopes: ReportScopes,
    private readonly views: ReportViews,
    private readonly plans: PlanService,
  ) {}

  async execute({ unitCode, period, command, expectedVersion }: ReportStepCommand): Promise<ReportAnswer> {
    // The figures around the report depend neither on the plan lookup nor on this command: read them meanwhile.
    const [scope, official, requireScan] = await Promise.all([
      this.scopes.resolve(unitCode, period),
      this.views.officialAround(unitCode, period),
      this.requiresScan(command, period),
    ]);
    if (scope.plan.closed) throw yearClosed(scope.year);
    if (command.type === 'ReviewReport' && !mayReview(command.actor, scope.unit)) {
      throw new ProblemException(
        'FORBIDDEN',
        scope.reviewer.role === 'region-operator'
          ? `${unitCode} 的月报由所属地区（${scope.reviewer.unitCode}）审核`
          : `${unitCode} 的月报由省教育厅审核`,
      );
    }
    const result = await this.executor.execute({
      streamId: reportStreamId(unitCode, period),
      decider: reportFoldDecider,
      actor: command.actor,
      expectedVersion,
      command: (now, state) => {
        // The form as it reads when the leader signs: this revision's figures on the official earlier months.
        const form = {
          cumulative: cumulativeFigures(official.earlierOfficial, state.report.figures ?? zeroFigures()),
          annual: scope.unit.annual,
        };
        return completed(command, now.toISOString(), scope, requireScan, form);
      },
    });
    return this.views.render(scope, withStoredTimes(result.state, result.events), result.version, official);
  }

  /** Whether the plan year asks for the sealed form before acceptance (read only when accepting). */
  private async requiresScan(command: StatedReportCommand, period: string): Promise<boolean> {
    if (command.type !== 'ReviewReport' || command.data.decision !== 'accept') return false;
    const { plan } = await this.plans.load(Number(period.slice(0, 4)));
    return plan.settings?.requireScan ?? false;
  }
}

/** The stated command with its instant and what the plan and the earlier months say. */
function completed(
  command: StatedReportCommand,
  at: string,
  scope: ReportScope,
  requireScan: boolean,
  form: FormAtSignature,
): ReportCommand {
  switch (command.type) {
    case 'EnterFigures': {
      const periodStart = scope.periodStart.toISOString();
      return { ...command, at, data: { ...command.data, periodStart, periodInPlan: true } };
    }
    case 'SignAsLeader':
      return { ...command, at, data: { ...command.data, form } };
    case 'ReviewReport':
      return { ...command, at, data: { ...command.data, requireScan } };
    default:
      return { ...command, at };
  }
}

/** A report now, or as it stood at an instant. */
export class GetReportQuery extends Query<ReportAnswer> {
  constructor(
    readonly unitCode: string,
    readonly period: string,
    readonly asOf?: Date,
  ) {
    super();
  }
}

/** Reading a report: where it stands in the plan, its stream and the figures around it, at once, then the view. */
@QueryHandler(GetReportQuery)
export class GetReportHandler implements IQueryHandler<GetReportQuery> {
  constructor(
    private readonly scopes: ReportScopes,
    private readonly store: EventStore,
    private readonly views: ReportViews,
  ) {}

  async execute({ unitCode, period, asOf }: GetReportQuery): Promise<ReportAnswer> {
    const [scope, events, official] = await Promise.all([
      this.scopes.resolve(unitCode, period, asOf),
      this.store.readStream(reportStreamId(unitCode, period), { asOf }),
      this.views.officialAround(unitCode, period, asOf),
    ]);
    const state = fold(reportFoldDecider, events as unknown as ReportEvent[]);
    const version = events.length ? events[events.length - 1].streamPosition : 0;
    return this.views.render(scope, state, version, official, asOf);
  }
}

export const REPORT_HANDLERS = [ReportStepHandler, GetReportHandler];
