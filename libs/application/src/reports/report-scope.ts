import { Injectable } from '@nestjs/common';
import { deadlineOf, DomainError, parsePeriod, periodStart } from '@app/domain';
import { UnitDirectory } from '../units/unit-directory';
import { AnnualTasks, type PlanSettings, type TaskedUnit } from './annual-tasks';
import { type Reviewer, reviewerOf } from './reviewer';

/** Everything a report stream does not know about itself: its unit, task, calendar and reviewer. */
export interface ReportScope {
  unit: TaskedUnit;
  period: string;
  year: number;
  plan: PlanSettings;
  periodStart: Date;
  deadline: Date;
  reviewer: Reviewer;
}

/**
 * Resolves (unit, month) against the plan: 404 for a month of a year with no plan, a unit that does not
 * exist, or a unit that owes no report that year (not a plan row, not a school of a plan region).
 */
@Injectable()
export class ReportScopes {
  constructor(
    private readonly tasks: AnnualTasks,
    private readonly units: UnitDirectory,
  ) {}

  async resolve(unitCode: string, period: string, asOf?: Date): Promise<ReportScope> {
    const ym = parsePeriod(period);
    if (!ym) throw new DomainError('VALIDATION_FAILED', `月份“${period}”格式应为 YYYY-MM`);
    let plan: PlanSettings | null;
    let unit: TaskedUnit | null | undefined;
    if (asOf) {
      const record = await this.units.find(unitCode);
      if (!record || record.kind === 'province') throw notFound(unitCode, period);
      ({ plan, unit } = await this.tasks.asOf(ym.year, { ...record, kind: record.kind }, asOf));
    } else {
      const found = await this.tasks.lookup(ym.year, [unitCode]);
      plan = found.plan;
      unit = found.units.get(unitCode);
    }
    if (!plan) throw new DomainError('NOT_FOUND', `${ym.year} 年度计划尚未发布，没有 ${period} 的月报`);
    if (!unit) throw notFound(unitCode, period);
    return {
      unit,
      period,
      year: ym.year,
      plan,
      periodStart: periodStart(period),
      deadline: deadlineOf(period, plan.dueDay),
      reviewer: reviewerOf(unit),
    };
  }
}

const notFound = (unitCode: string, period: string) =>
  new DomainError(
    'NOT_FOUND',
    `单位 ${unitCode} 不在 ${period.slice(0, 4)} 年度计划内，没有 ${period} 的月报`,
  );
