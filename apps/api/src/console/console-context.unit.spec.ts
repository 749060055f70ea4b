import { consoleContext } from './console-context';

const open = (...years: number[]) => years.map((year) => ({ year, closed: false }));

describe('the year the console opens on', () => {
  const april2024 = new Date('2024-04-08T02:00:00Z');
  const nov2026 = new Date('2026-11-30T15:00:00Z');

  it('is the current year, on the current month, when that year has a published plan', () => {
    expect(consoleContext(april2024, open(2024))).toEqual({
      now: '2024-04-08T02:00:00.000Z',
      year: 2024,
      period: '2024-04',
      years: [2024],
      closedYears: [],
    });
  });

  it('is the latest year with a published plan when the current year has none, on its last month', () => {
    expect(consoleContext(nov2026, open(2023, 2024))).toMatchObject({
      year: 2024,
      period: '2024-12',
      years: [2023, 2024, 2026],
    });
  });

  it('opens a later year with a plan on its first month', () => {
    expect(consoleContext(nov2026, open(2027))).toMatchObject({ year: 2027, period: '2027-01' });
  });

  it('is the current year when no plan is published at all', () => {
    expect(consoleContext(nov2026, [])).toEqual({
      now: '2026-11-30T15:00:00.000Z',
      year: 2026,
      period: '2026-11',
      years: [2026],
      closedYears: [],
    });
  });

  it('reads the month in Beijing time: 31 December 17:00 UTC is already January', () => {
    expect(consoleContext(new Date('2024-12-31T17:00:00Z'), open(2024, 2025))).toMatchObject({
      year: 2025,
      period: '2025-01',
    });
  });

  it('lists the closed years, which the console shows read-only, and still opens on a closed year', () => {
    const closed = [
      { year: 2025, closed: true },
      { year: 2024, closed: true },
      { year: 2026, closed: false },
    ];
    expect(consoleContext(nov2026, closed)).toMatchObject({ year: 2026, closedYears: [2024, 2025] });
    expect(consoleContext(nov2026, [{ year: 2024, closed: true }])).toMatchObject({
      year: 2024,
      closedYears: [2024],
    });
  });
});
