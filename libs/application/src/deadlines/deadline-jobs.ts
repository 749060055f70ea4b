/**
 * The job contracts of the 'deadlines' queue. Jobs carry no facts: every processor re-derives what is
 * due from PostgreSQL, so a job lost with Redis, run twice or run late changes nothing.
 */
export const DEADLINES_QUEUE = 'deadlines';

export const DEADLINE_JOBS = {
  sweep: 'deadline-sweep',
  watch: 'deadline-watch',
  reminders: 'reminders',
  checkpoint: 'ledger-checkpoint',
  scanDeliveries: 'scan-deliveries',
  housekeeping: 'housekeeping',
} as const;

export type DeadlineJobName = (typeof DEADLINE_JOBS)[keyof typeof DEADLINE_JOBS];

/** `period`/`deadline` are set when the sweep was queued because that month's deadline just passed. */
export interface SweepJobData {
  trigger: 'schedule' | 'deadline';
  period?: string;
  deadline?: string;
}

export type EmptyJobData = Record<string, never>;

/** One job per passed deadline, whichever worker notices it first: BullMQ ignores a second add. */
export const deadlineSweepJobId = (period: string): string => `deadline-sweep-${period}`;
