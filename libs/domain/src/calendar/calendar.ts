import { DomainError } from '../shared/errors';

/** Asia/Shanghai has been UTC+8 all year since 1991, so plain arithmetic beats a zone database. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface YearMonth {
  year: number;
  month: number;
}

export function parsePeriod(s: string): YearMonth | null {
  if (typeof s !== 'string' || !PERIOD_PATTERN.test(s)) return null;
  return { year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)) };
}

function requirePeriod(period: string): YearMonth {
  const ym = parsePeriod(period);
  if (!ym) throw new DomainError('VALIDATION_FAILED', `期间“${period}”格式应为 YYYY-MM`);
  return ym;
}

export const formatPeriod = (year: number, month: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

export const periodsOfYear = (year: number): string[] =>
  Array.from({ length: 12 }, (_, i) => formatPeriod(year, i + 1));

/** setUTCFullYear, unlike Date.UTC, does not read years 0..99 as 1900..1999; day overflow rolls over. */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

export const daysInMonth = (year: number, month: number): number =>
  new Date(utcMidnight(year, month + 1, 0)).getUTCDate();

/** 00:00 Shanghai on the given calendar day. */
const shanghaiMidnight = (year: number, month: number, day: number): Date =>
  new Date(utcMidnight(year, month, day) - SHANGHAI_OFFSET_MS);

export function periodStart(period: string): Date {
  const { year, month } = requirePeriod(period);
  return shanghaiMidnight(year, month, 1);
}

export function nextPeriod(period: string): string {
  const { year, month } = requirePeriod(period);
  return month === 12 ? formatPeriod(year + 1, 1) : formatPeriod(year, month + 1);
}

/**
 * The first instant at which a submission is late: the report is due "before the due day ends",
 * and a month shorter than the due day (February) is due before its last day ends.
 */
export function deadlineOf(period: string, dueDay = 30): Date {
  const { year, month } = requirePeriod(period);
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 31) {
    throw new DomainError('VALIDATION_FAILED', '截止日必须是 1 到 31 的整数');
  }
  return shanghaiMidnight(year, month, Math.min(dueDay, daysInMonth(year, month)) + 1);
}

export function reminderInstant(period: string, dueDay: number, reminderDays: number): Date {
  if (!Number.isInteger(reminderDays) || reminderDays < 0) {
    throw new DomainError('VALIDATION_FAILED', '提醒提前天数必须是非负整数');
  }
  return new Date(deadlineOf(period, dueDay).getTime() - reminderDays * DAY_MS);
}

/** Shifting by +8 h lets the UTC getters read Shanghai's wall clock. */
const shanghaiWallClock = (instant: Date): Date => new Date(instant.getTime() + SHANGHAI_OFFSET_MS);

export function periodOf(instant: Date): string {
  const wall = shanghaiWallClock(instant);
  return formatPeriod(wall.getUTCFullYear(), wall.getUTCMonth() + 1);
}

export function shanghaiDate(instant: Date): string {
  const wall = shanghaiWallClock(instant);
  return `${formatPeriod(wall.getUTCFullYear(), wall.getUTCMonth() + 1)}-${String(wall.getUTCDate()).padStart(2, '0')}`;
}

/** The plan calendar as the API serves it: every period of the year with its deadline. */
export const calendarOf = (year: number, dueDay = 30): { period: string; deadline: string }[] =>
  periodsOfYear(year).map((period) => ({ period, deadline: deadlineOf(period, dueDay).toISOString() }));

/**
 * The period of the plan year that holds `instant`, in Shanghai: January for an instant before the year
 * begins, December for one after it ends (a fact of an earlier or later year still belongs to this one).
 */
export function periodInYear(year: number, instant: Date): string {
  const period = periodOf(instant);
  if (period < formatPeriod(year, 1)) return formatPeriod(year, 1);
  if (period > formatPeriod(year, 12)) return formatPeriod(year, 12);
  return period;
}

/**
 * The one way every channel (console, reminder e-mails, digests) states a deadline: the last day that is
 * still on time, in Shanghai, as offices write it: "6月30日（含）前".
 */
export function deadlineWording(deadline: Date): string {
  const day = shanghaiDate(new Date(deadline.getTime() - 1));
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日（含）前`;
}
