import { Injectable } from '@nestjs/common';
import {
  calendarOf,
  DEFAULT_PLAN_SETTINGS,
  DomainError,
  planDecider,
  type PlanState,
  planStreamId,
  planUnits,
} from '@app/domain';
import { CommandExecutor } from '../command-executor';

export type PublishedPlan = Extract<PlanState, { status: 'published' }>;

/** Reading a year's plan (its changes are the handlers in `plan.commands.ts`). */
@Injectable()
export class PlanService {
  constructor(private readonly executor: CommandExecutor) {}

  /** The plan as it stands now, or as it stood at `asOf`. 404 when it was not published (then). */
  async load(year: number, asOf?: Date): Promise<{ plan: PublishedPlan; version: number }> {
    const { state, version } = await this.executor.load(planStreamId(year), planDecider, { asOf });
    if (state.status !== 'published') {
      throw new DomainError(
        'NOT_FOUND',
        asOf ? `${year} 年度计划在该时间点尚未发布` : `${year} 年度计划尚未发布`,
      );
    }
    return { plan: state, version };
  }

  view(plan: PublishedPlan, version: number) {
    return {
      year: plan.year,
      version,
      dueDay: plan.dueDay,
      reminderDays: plan.reminderDays,
      requireScan: plan.settings?.requireScan ?? DEFAULT_PLAN_SETTINGS.requireScan,
      reportingFrom: plan.reportingFrom,
      closed: plan.closed,
      totals: plan.totals,
      units: planUnits(plan).map((u) => ({
        code: u.code,
        name: u.name,
        kind: u.kind,
        parentCode: null,
        quota: u.quota,
      })),
    };
  }

  async calendar(year: number) {
    const { plan } = await this.load(year);
    return calendarOf(year, plan.dueDay);
  }
}
