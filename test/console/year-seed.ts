import { reportSteps } from '../reports/report-steps';
import type { Harness } from '../support/app';
import { publishPlan2024, publishSplit, registerSchool } from '../support/plan';

export const SPLIT_URL = '/api/v1/plans/2024/regions/R18/allocation';
export const S1_JAN = { training: 100, certified: 80, advanced: 0, onePlusX: 10 };
export const S2_JAN = { training: 60, certified: 50, advanced: 5, onePlusX: 8 };

/**
 * 济源示范区 (R18) as it runs into 2024: the plan published on 5 January, two schools with a published
 * split (R18-S1 1,000 / 800 / 100, R18-S2 the rest), and both schools' January accepted by the region.
 * The clock is left on 20 January.
 */
export async function seedRegionYear(h: Harness) {
  h.clock.set('2024-01-05T02:00:00.000Z');
  await publishPlan2024(h);
  const operator = await h.user('r18-op', 'region-operator', 'R18');
  await registerSchool(h, 'R18-S1', 'R18', '济源市第一职业中专');
  await registerSchool(h, 'R18-S2', 'R18', '济源市高级技工学校');
  await publishSplit(
    h,
    operator,
    'R18',
    [['R18-S1', { training: 1000, certified: 800, onePlusX: 100 }]],
    'R18-S2',
  );
  const people = async (unit: string) => ({
    filler: await h.user(`${unit.toLowerCase()}-filler`, 'filler', unit),
    leader: await h.user(`${unit.toLowerCase()}-leader`, 'leader', unit),
    reviewer: operator,
  });
  const s1 = await people('R18-S1');
  const s2 = await people('R18-S2');
  h.clock.set('2024-01-20T02:00:00.000Z');
  const steps = reportSteps(h);
  await steps.official(s1, 'R18-S1', '2024-01', S1_JAN);
  await steps.official(s2, 'R18-S2', '2024-01', S2_JAN);
  return { operator, s1, s2, steps };
}
