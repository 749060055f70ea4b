import { startApp } from '../support/app';
import { publishPlan2024, publishSplit, registerSchool } from '../support/plan';
import { reportSteps, unitPeople } from './report-steps';

/**
 * The API on 5 January 2024 with the 2024 plan, and the people of two approval chains: a college (U01)
 * reviewed by the province admin, and a city school (R01-S1) reviewed by its region's operator, whose
 * split is published. Besides them, an auditor and the operator of another region.
 */
export async function approvalChainApp() {
  const h = await startApp({ now: '2024-01-05T02:00:00.000Z' });
  const steps = reportSteps(h);
  const admin = await h.token('admin');
  await publishPlan2024(h);
  await registerSchool(h, 'R01-S1', 'R01', '郑州市第一中等专业学校');
  const regionOp = await h.user('zz-op', 'region-operator', 'R01');
  const otherRegion = await h.user('kf-op', 'region-operator', 'R02');
  const auditor = await h.user('auditor', 'auditor', 'province');
  const u01 = await unitPeople(h, 'u01', 'U01', admin);
  const school = await unitPeople(h, 's1', 'R01-S1', regionOp);
  // A school has a task only once its region publishes the split (API.md v1.1).
  await registerSchool(h, 'R01-S2', 'R01');
  await publishSplit(
    h,
    regionOp,
    'R01',
    [['R01-S1', { training: 2000, certified: 1600, onePlusX: 300 }]],
    'R01-S2',
  );
  return { h, steps, admin, auditor, u01, school, otherRegion, close: () => h.close() };
}
