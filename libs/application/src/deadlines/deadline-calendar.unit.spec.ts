import {
  justPassedDeadlines,
  latestPassedDeadline,
  passedDeadlines,
  remindablePeriods,
} from './deadline-calendar';

const plan = { year: 2024, dueDay: 30, reminderDays: 3 };
const at = (s: string) => new Date(s);

describe('the deadline calendar', () => {
  it('counts a month as passed from the first instant of lateness (midnight in Shanghai)', () => {
    expect(passedDeadlines(plan, at('2024-03-30T15:59:59.999Z')).map((d) => d.period)).toEqual([
      '2024-01',
      '2024-02',
    ]);
    expect(passedDeadlines(plan, at('2024-03-30T16:00:00Z')).at(-1)).toEqual({
      year: 2024,
      period: '2024-03',
      deadline: at('2024-03-30T16:00:00Z'),
    });
  });

  it('due in February before its last day ends, leap year or not', () => {
    expect(passedDeadlines(plan, at('2024-02-29T16:00:00Z')).map((d) => d.period)).toContain('2024-02');
    const p2025 = { ...plan, year: 2025 };
    expect(passedDeadlines(p2025, at('2025-02-28T16:00:00Z')).map((d) => d.period)).toEqual([
      '2025-01',
      '2025-02',
    ]);
  });

  it('opens the reminder window reminderDays before the deadline and closes it at the deadline', () => {
    expect(remindablePeriods(plan, at('2024-03-27T15:59:59Z'))).toEqual([]);
    expect(remindablePeriods(plan, at('2024-03-27T16:00:00Z')).map((d) => d.period)).toEqual(['2024-03']);
    expect(remindablePeriods(plan, at('2024-03-30T16:00:00Z'))).toEqual([]);
    expect(remindablePeriods({ ...plan, reminderDays: 0 }, at('2024-03-29T00:00:00Z'))).toEqual([]);
  });

  it('names the most recent passed deadline for the digest, and nothing before the first', () => {
    expect(latestPassedDeadline(plan, at('2024-01-15T00:00:00Z'))).toBeUndefined();
    expect(latestPassedDeadline(plan, at('2024-04-10T00:00:00Z'))?.period).toBe('2024-03');
    expect(latestPassedDeadline(plan, at('2025-06-01T00:00:00Z'))?.period).toBe('2024-12');
  });

  it('finds deadlines passed within the watch window across plans', () => {
    const plans = [plan, { year: 2025, dueDay: 10, reminderDays: 3 }];
    expect(justPassedDeadlines(plans, at('2024-03-30T16:05:00Z'), 15 * 60_000).map((d) => d.period)).toEqual([
      '2024-03',
    ]);
    expect(justPassedDeadlines(plans, at('2024-03-30T16:20:00Z'), 15 * 60_000)).toEqual([]);
    expect(justPassedDeadlines(plans, at('2025-01-10T16:00:00Z'), 60_000).map((d) => d.period)).toEqual([
      '2025-01',
    ]);
  });
});
