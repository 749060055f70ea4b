import { periodOf } from '@app/domain';

export interface ConsoleContext {
  now: string;
  /** The year the console opens on. */
  year: number;
  /** The month it opens on: now's month in the current year, else the last (past) or first (future) month of `year`. */
  period: string;
  /** The years the console offers in its selector: every year with a published plan, and the current one. */
  years: number[];
  /** Years the province has closed: the console shows them read-only (their commands answer YEAR_CLOSED). */
  closedYears: number[];
}

export interface PublishedYear {
  year: number;
  closed: boolean;
}

/**
 * The current year when it has a published plan, else the latest year that has one (a plan loaded for
 * an earlier year must not open on an empty page), else the current year.
 */
export function consoleContext(now: Date, published: PublishedYear[]): ConsoleContext {
  const publishedYears = published.map((p) => p.year);
  const current = periodOf(now);
  const currentYear = Number(current.slice(0, 4));
  const latest = publishedYears.length > 0 ? Math.max(...publishedYears) : undefined;
  const year = publishedYears.includes(currentYear) || latest === undefined ? currentYear : latest;
  const period = year === currentYear ? current : year < currentYear ? `${year}-12` : `${year}-01`;
  const years = [...new Set([...publishedYears, currentYear])].sort((a, b) => a - b);
  const closedYears = published.filter((p) => p.closed).map((p) => p.year);
  return { now: now.toISOString(), year, period, years, closedYears: closedYears.sort((a, b) => a - b) };
}
