import { consoleContext } from './console-context';

describe('the year the console opens on', () => {
  const april2024 = new Date('2024-04-08T02:00:00Z');
  const nov2026 = new Date('2026-11-30T15:00:00Z');

  it('is the current year, on the current month, when that year has a published plan', () => {
    expect(consoleContext(april2024, [2024])).toEqual({
      now: '2024-04-08T02:00:00.000Z',
      year: 2024,
      period: '2024-04',
      years: [2024],
    });
  });

  it('is the latest year with a published plan when the current year has none, on its last month', () => {
    expect(consoleContext(nov2026, [2023, 2024])).toMatchObject({
      year: 2024,
      period: '2024-12',
      years: [2023, 2024, 2026],
    });
  });

  it('opens a later year with a plan on its first month', () => {
    expect(consoleContext(nov2026, [2027])).toMatchObject({ year: 2027, period: '2027-01' });
  });

  it('is the current year when no plan is published at all', () => {
    expect(consoleContext(nov2026, [])).toEqual({
      now: '2026-11-30T15:00:00.000Z',
      year: 2026,
      period: '2026-11',
      years: [2026],
    });
  });

  it('reads the month in Beijing time: 31 December 17:00 UTC is already January', () => {
    expect(consoleContext(new Date('2024-12-31T17:00:00Z'), [2024, 2025])).toMatchObject({
      year: 2025,
      period: '2025-01',
    });
  });
});
