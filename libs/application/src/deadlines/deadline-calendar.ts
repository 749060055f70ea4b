import { deadlineOf, periodsOfYear, reminderInstant } from '@app/domain';

/** What the calendar needs of a published plan. */
export interface PlanSettings {
  year: number;
  dueDay: number;
  reminderDays: number;
}

export interface PeriodDeadline {
  year: number;
  period: string;
  deadline: Date;
}

export const deadlinesOf = (plan: PlanSettings): PeriodDeadline[] =>
  periodsOfYear(plan.year).map((period) => ({
    year: plan.year,
    period,
    deadline: deadlineOf(period, plan.dueDay),
  }));

/** Months whose deadline is at or before `now`: a report still unsubmitted there is missing. */
export const passedDeadlines = (plan: PlanSettings, now: Date): PeriodDeadline[] =>
  deadlinesOf(plan).filter((d) => d.deadline.getTime() <= now.getTime());

/** The most recent passed deadline: the month a region's digest of late schools is about. */
export const latestPassedDeadline = (plan: PlanSettings, now: Date): PeriodDeadline | undefined =>
  passedDeadlines(plan, now).at(-1);

/** Months inside their reminder window: from `reminderDays` before the deadline up to the deadline. */
export const remindablePeriods = (plan: PlanSettings, now: Date): PeriodDeadline[] =>
  deadlinesOf(plan).filter(
    (d) =>
      reminderInstant(d.period, plan.dueDay, plan.reminderDays).getTime() <= now.getTime() &&
      now.getTime() < d.deadline.getTime(),
  );

/** Deadlines passed less than `windowMs` ago, across plans: the watch queues a sweep for each. */
export const justPassedDeadlines = (plans: PlanSettings[], now: Date, windowMs: number): PeriodDeadline[] =>
  plans.flatMap((plan) =>
    passedDeadlines(plan, now).filter((d) => now.getTime() - d.deadline.getTime() < windowMs),
  );
