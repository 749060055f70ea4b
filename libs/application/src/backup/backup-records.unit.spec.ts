import { backupFreshness } from './backup-records';

const now = new Date('2024-03-31T02:00:00.000Z');
const hours = (h: number) => h * 3_600_000;

describe('how fresh the last good backup is', () => {
  it('is ok within the allowed age, to the millisecond', () => {
    const lastGood = new Date(now.getTime() - hours(26));
    expect(backupFreshness(lastGood, now, hours(26))).toEqual({
      status: 'ok',
      lastGoodAt: '2024-03-30T00:00:00.000Z',
      ageSeconds: 26 * 3600,
      maxAgeSeconds: 26 * 3600,
    });
  });

  it('is stale once the last good backup is older than the allowed age', () => {
    const lastGood = new Date(now.getTime() - hours(26) - 1);
    expect(backupFreshness(lastGood, now, hours(26)).status).toBe('stale');
  });

  it('says none when there never was a good backup', () => {
    expect(backupFreshness(undefined, now, hours(26))).toEqual({
      status: 'none',
      lastGoodAt: null,
      ageSeconds: null,
      maxAgeSeconds: 26 * 3600,
    });
  });

  it('does not count a backup stamped ahead of the clock as older than zero', () => {
    expect(backupFreshness(new Date(now.getTime() + 5000), now, hours(1))).toMatchObject({
      status: 'ok',
      ageSeconds: 0,
    });
  });
});
