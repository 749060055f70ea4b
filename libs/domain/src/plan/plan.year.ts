import { formatPeriod, parsePeriod, periodInYear } from '../calendar/calendar';
import { DomainError } from '../shared/errors';
import { invalid, requireInstant, requireReason } from '../shared/validation';
import { CloseYear, MoveReportingStart, PublishPlan, ReopenYear } from './plan.commands';
import { PlanEvent } from './plan.events';

/** The year's life after publishing: from which month units owe reports, and closing the year. */
export interface PlanYear {
  reportingFrom: string;
  closed: boolean;
}

export const yearClosed = (year: number) =>
  new DomainError(
    'YEAR_CLOSED',
    `${year} 年度已关闭，不能再办理任何事项；如需更正，请省级管理员先重新开启该年度`,
  );

function requirePeriodOf(year: number, value: unknown, field: string): string {
  const ym = typeof value === 'string' ? parsePeriod(value) : null;
  if (!ym || ym.year !== year) {
    const message = `必须是 ${year} 年的月份（YYYY-MM），如 ${formatPeriod(year, 6)}`;
    throw invalid(`报送起始月份${message}`, [{ field, code: 'INVALID_PERIOD', message }]);
  }
  return value as string;
}

/**
 * Nobody owes a month before the plan exists: by default units owe from the period that holds the
 * instant of publication (January when published before the year, December when after it).
 */
export function reportingFromOf({ data, at }: PublishPlan): string {
  if (data.reportingFrom !== undefined)
    return requirePeriodOf(data.year, data.reportingFrom, 'reportingFrom');
  return periodInYear(data.year, new Date(requireInstant(at, 'at')));
}

export function moveReportingStart({ data }: MoveReportingStart, year: number, state: PlanYear): PlanEvent[] {
  if (state.closed) throw yearClosed(year);
  const to = requirePeriodOf(year, data.period, 'period');
  const reason = requireReason(data.reason);
  if (to === state.reportingFrom) return [];
  return [{ type: 'ReportingStartMoved', data: { from: state.reportingFrom, to, reason } }];
}

export function closeYear({ data }: CloseYear, year: number, state: PlanYear): PlanEvent[] {
  if (state.closed) throw yearClosed(year);
  return [{ type: 'PlanYearClosed', data: { reason: requireReason(data.reason) } }];
}

export function reopenYear({ data }: ReopenYear, year: number, state: PlanYear): PlanEvent[] {
  if (!state.closed) throw new DomainError('INVALID_TRANSITION', `${year} 年度未关闭，无需重新开启`);
  return [{ type: 'PlanYearReopened', data: { reason: requireReason(data.reason) } }];
}
