import { Injectable } from '@nestjs/common';
import {
  type Actor,
  cumulativeFigures,
  type Figures,
  type FormAtSignature,
  type ReportCommand,
  reportStreamId,
  yearClosed,
  zeroFigures,
} from '@app/domain';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import { PlanService } from '../plan/plan.service';
import { reportFoldDecider, withStoredTimes } from './report-fold';
import { type ReportScope, ReportScopes } from './report-scope';
import { type ReportView, ReportViews } from './report-view';
import { mayReview } from './reviewer';

export type ReportRequest =
  | { type: 'EnterFigures'; data: { figures: Figures; note?: string } }
  | { type: 'Sign'; data: { name: string; phone?: string } }
  | { type: 'RefuseSignature'; data: { name: string; reason: string } }
  | { type: 'ReviewReport'; data: { decision: 'accept' | 'return'; reason?: string } }
  | { type: 'AmendReport'; data: { figures: Figures; reason: string } };

/**
 * The approval chain of one monthly report. The caller's right to the unit is checked at the door; here
 * the unit and month are resolved against the plan (404 outside it), the decider judges the rest, and the
 * answer is the report's new view.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly scopes: ReportScopes,
    private readonly views: ReportViews,
    private readonly plans: PlanService,
  ) {}

  async handle(
    actor: Actor,
    unitCode: string,
    period: string,
    request: ReportRequest,
    expectedVersion: number,
  ): Promise<{ body: ReportView; version: number }> {
    // The figures around the report depend neither on the plan lookup nor on this command: read them meanwhile.
    const [scope, official, requireScan] = await Promise.all([
      this.scopes.resolve(unitCode, period),
      this.views.officialAround(unitCode, period),
      this.requiresScan(request, period),
    ]);
    if (scope.plan.closed) throw yearClosed(scope.year);
    if (request.type === 'ReviewReport' && !mayReview(actor, scope.unit)) {
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
      actor,
      expectedVersion,
      command: (now, state) => {
        // The form as it reads when the leader signs: this revision's figures on the official earlier months.
        const form = {
          cumulative: cumulativeFigures(official.earlierOfficial, state.report.figures ?? zeroFigures()),
          annual: scope.unit.annual,
        };
        return this.command(actor, scope, request, now.toISOString(), requireScan, form);
      },
    });
    return this.views.render(scope, withStoredTimes(result.state, result.events), result.version, official);
  }

  /** Whether the plan year asks for the sealed form before acceptance (read only when accepting). */
  private async requiresScan(request: ReportRequest, period: string): Promise<boolean> {
    if (request.type !== 'ReviewReport' || request.data.decision !== 'accept') return false;
    const { plan } = await this.plans.load(Number(period.slice(0, 4)));
    return plan.settings?.requireScan ?? false;
  }

  private command(
    actor: Actor,
    scope: ReportScope,
    request: ReportRequest,
    at: string,
    requireScan: boolean,
    form: FormAtSignature,
  ): ReportCommand {
    switch (request.type) {
      case 'EnterFigures':
        return {
          type: 'EnterFigures',
          data: { ...request.data, periodStart: scope.periodStart.toISOString(), periodInPlan: true },
          at,
          actor,
        };
      case 'Sign':
        // One route, two signatures: the caller's role says which line of the form is being signed.
        if (actor.role === 'leader')
          return { type: 'SignAsLeader', data: { name: request.data.name, form }, at, actor };
        if (actor.role === 'filler') {
          return {
            type: 'SignAsFiller',
            data: { name: request.data.name, phone: request.data.phone as string },
            at,
            actor,
          };
        }
        throw new ProblemException('FORBIDDEN', '只有本单位的填报人或领导小组组长可以签字');
      case 'RefuseSignature':
        return { type: 'RefuseSignature', data: request.data, at, actor };
      case 'ReviewReport':
        return { type: 'ReviewReport', data: { ...request.data, requireScan }, at, actor };
      case 'AmendReport':
        return { type: 'AmendReport', data: request.data, at, actor };
    }
  }
}
