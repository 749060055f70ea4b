import fc from 'fast-check';
import {
  calendarOf,
  daysInMonth,
  deadlineWording,
  deadlineOf,
  nextPeriod,
  parsePeriod,
  periodOf,
  periodsOfYear,
  periodStart,
  reminderInstant,
  shanghaiDate,
} from './calendar';

const ms = (iso: string) => new Date(iso).getTime();
const at = (iso: string) => new Date(iso);

describe('calendar', () => {
  describe('parsePeriod', () => {
    it.each(['2024-01', '2024-12', '1999-09'])('accepts %s', (s) => {
      expect(parsePeriod(s)).toEqual({ year: Number(s.slice(0, 4)), month: Number(s.slice(5)) });
    });

    it.each(['2024-1', '2024-00', '2024-13', '24-01', '2024/01', ' 2024-01', '2024-01 ', '2024-01-01', ''])(
      'refuses %p',
      (s) => {
        expect(parsePeriod(s)).toBeNull();
      },
    );
  });

  it('lists the twelve periods of a year in order', () => {
    expect(periodsOfYear(2024)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
    ]);
  });

  it('starts a period at midnight Shanghai, 16:00 UTC the day before', () => {
    expect(periodStart('2024-01').toISOString()).toBe('2023-12-31T16:00:00.000Z');
    expect(periodStart('2024-03').toISOString()).toBe('2024-02-29T16:00:00.000Z');
  });

  it('refuses a malformed period rather than guessing', () => {
    expect(() => periodStart('2024-13')).toThrow(/VALIDATION_FAILED/);
    expect(() => deadlineOf('2024-1')).toThrow(/VALIDATION_FAILED/);
  });

  // The first late instant, in UTC: midnight Shanghai after the due day (or after the month's last day).
  const deadlines2024: Record<string, string> = {
    '2024-01': '2024-01-30T16:00:00.000Z',
    '2024-02': '2024-02-29T16:00:00.000Z', // leap year: due before 29 February ends
    '2024-03': '2024-03-30T16:00:00.000Z',
    '2024-04': '2024-04-30T16:00:00.000Z', // 30-day month: due before 30 April ends, so late from 1 May
    '2024-05': '2024-05-30T16:00:00.000Z',
    '2024-06': '2024-06-30T16:00:00.000Z',
    '2024-07': '2024-07-30T16:00:00.000Z',
    '2024-08': '2024-08-30T16:00:00.000Z',
    '2024-09': '2024-09-30T16:00:00.000Z',
    '2024-10': '2024-10-30T16:00:00.000Z',
    '2024-11': '2024-11-30T16:00:00.000Z',
    '2024-12': '2024-12-30T16:00:00.000Z',
  };
  const deadlines2025: Record<string, string> = {
    '2025-01': '2025-01-30T16:00:00.000Z',
    '2025-02': '2025-02-28T16:00:00.000Z', // common year: due before 28 February ends
    '2025-03': '2025-03-30T16:00:00.000Z',
    '2025-04': '2025-04-30T16:00:00.000Z',
    '2025-05': '2025-05-30T16:00:00.000Z',
    '2025-06': '2025-06-30T16:00:00.000Z',
    '2025-07': '2025-07-30T16:00:00.000Z',
    '2025-08': '2025-08-30T16:00:00.000Z',
    '2025-09': '2025-09-30T16:00:00.000Z',
    '2025-10': '2025-10-30T16:00:00.000Z',
    '2025-11': '2025-11-30T16:00:00.000Z',
    '2025-12': '2025-12-30T16:00:00.000Z',
  };

  describe.each(Object.entries({ ...deadlines2024, ...deadlines2025 }))(
    'the report for %s',
    (period, deadline) => {
      it(`is late from ${deadline}`, () => {
        expect(deadlineOf(period).toISOString()).toBe(deadline);
      });

      it('is still on time 1 ms before the deadline, on the due date in Shanghai', () => {
        const justBefore = new Date(ms(deadline) - 1);
        expect(justBefore < deadlineOf(period)).toBe(true);
        expect(periodOf(justBefore)).toBe(period);
        expect(Number(shanghaiDate(justBefore).slice(8))).toBe(
          Math.min(30, daysInMonth(+period.slice(0, 4), +period.slice(5))),
        );
      });

      it('is late at the deadline itself, which is midnight of the next Shanghai day', () => {
        const d = deadlineOf(period);
        expect(shanghaiDate(d)).not.toBe(shanghaiDate(new Date(d.getTime() - 1)));
        expect(d.getUTCHours()).toBe(16);
        expect(d.getUTCMinutes() + d.getUTCSeconds() + d.getUTCMilliseconds()).toBe(0);
      });
    },
  );

  it('honours a plan due day earlier than 30', () => {
    expect(deadlineOf('2024-02', 15).toISOString()).toBe('2024-02-15T16:00:00.000Z');
    expect(deadlineOf('2024-05', 31).toISOString()).toBe('2024-05-31T16:00:00.000Z');
    expect(deadlineOf('2024-06', 31).toISOString()).toBe('2024-06-30T16:00:00.000Z');
  });

  it('refuses a due day outside 1..31', () => {
    expect(() => deadlineOf('2024-01', 0)).toThrow(/VALIDATION_FAILED/);
    expect(() => deadlineOf('2024-01', 32)).toThrow(/VALIDATION_FAILED/);
    expect(() => deadlineOf('2024-01', 1.5)).toThrow(/VALIDATION_FAILED/);
  });

  it('sends reminders the given number of days before the deadline', () => {
    expect(reminderInstant('2024-01', 30, 3).toISOString()).toBe('2024-01-27T16:00:00.000Z');
    expect(reminderInstant('2024-02', 30, 3).toISOString()).toBe('2024-02-26T16:00:00.000Z');
    expect(reminderInstant('2024-02', 30, 0).toISOString()).toBe('2024-02-29T16:00:00.000Z');
    expect(() => reminderInstant('2024-02', 30, -1)).toThrow(/VALIDATION_FAILED/);
  });

  describe('periodOf and shanghaiDate around midnight Shanghai', () => {
    it('puts 1 ms before midnight Shanghai on 1 March in February', () => {
      expect(periodOf(at('2024-02-29T15:59:59.999Z'))).toBe('2024-02');
      expect(shanghaiDate(at('2024-02-29T15:59:59.999Z'))).toBe('2024-02-29');
    });

    it('puts midnight Shanghai on 1 March, and 1 ms after, in March', () => {
      expect(periodOf(at('2024-02-29T16:00:00.000Z'))).toBe('2024-03');
      expect(periodOf(at('2024-02-29T16:00:00.001Z'))).toBe('2024-03');
      expect(shanghaiDate(at('2024-02-29T16:00:00.001Z'))).toBe('2024-03-01');
    });

    it('crosses the year at 16:00 UTC on 31 December', () => {
      expect(periodOf(at('2024-12-31T15:59:59.999Z'))).toBe('2024-12');
      expect(periodOf(at('2024-12-31T16:00:00.000Z'))).toBe('2025-01');
      expect(shanghaiDate(at('2024-12-31T16:00:00.000Z'))).toBe('2025-01-01');
    });

    it('reads an instant with a +08:00 offset as the same wall-clock date', () => {
      expect(shanghaiDate(at('2024-06-30T23:59:59.999+08:00'))).toBe('2024-06-30');
      expect(shanghaiDate(at('2024-07-01T00:00:00+08:00'))).toBe('2024-07-01');
    });
  });

  it('serves the calendar of a plan year with twelve deadlines', () => {
    const calendar = calendarOf(2024);
    expect(calendar).toHaveLength(12);
    expect(calendar[1]).toEqual({ period: '2024-02', deadline: '2024-02-29T16:00:00.000Z' });
  });

  it('moves to the next period across a year end', () => {
    expect(nextPeriod('2024-12')).toBe('2025-01');
    expect(nextPeriod('2024-02')).toBe('2024-03');
  });

  describe('properties over 2000..2099', () => {
    const instant = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    const period = fc
      .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

    it('every instant lies in its period: start <= t < start of the next period', () => {
      fc.assert(
        fc.property(instant, (t) => {
          const p = periodOf(t);
          return periodStart(p) <= t && t < periodStart(nextPeriod(p));
        }),
      );
    });

    it('the Shanghai date of an instant names its period', () => {
      fc.assert(fc.property(instant, (t) => shanghaiDate(t).startsWith(periodOf(t))));
    });

    it('every period starts and ends at 16:00 UTC and its deadline is min(dueDay, month length) days in', () => {
      fc.assert(
        fc.property(period, fc.integer({ min: 1, max: 31 }), (p, dueDay) => {
          const { year, month } = parsePeriod(p)!;
          const start = periodStart(p);
          const deadline = deadlineOf(p, dueDay);
          const days = (deadline.getTime() - start.getTime()) / 86_400_000;
          return (
            start.getUTCHours() === 16 &&
            deadline.getUTCHours() === 16 &&
            days === Math.min(dueDay, daysInMonth(year, month)) &&
            periodOf(new Date(deadline.getTime() - 1)) === p
          );
        }),
      );
    });

    it('the deadline is the first instant whose Shanghai date is after the due date', () => {
      fc.assert(
        fc.property(period, (p) => {
          const d = deadlineOf(p);
          return shanghaiDate(new Date(d.getTime() - 1)) < shanghaiDate(d);
        }),
      );
    });

    it('periodsOfYear round-trips through parsePeriod', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1000, max: 9999 }), (y) =>
          periodsOfYear(y).every((p, i) => {
            const parsed = parsePeriod(p);
            return parsed !== null && parsed.year === y && parsed.month === i + 1;
          }),
        ),
      );
    });

    it('February has 29 days exactly in Gregorian leap years', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1900, max: 2400 }), (y) => {
          const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
          return daysInMonth(y, 2) === (leap ? 29 : 28);
        }),
      );
    });
  });
});

describe('deadlineWording', () => {
  it('names the last day still on time, as offices write it', () => {
    expect(deadlineWording(deadlineOf('2024-06'))).toBe('6月30日（含）前');
    expect(deadlineWording(deadlineOf('2024-02'))).toBe('2月29日（含）前');
    expect(deadlineWording(deadlineOf('2025-01', 10))).toBe('1月10日（含）前');
  });
});
