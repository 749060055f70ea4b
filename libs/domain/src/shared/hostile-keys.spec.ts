import { fold } from './decider';
import { actorOf, deciderSpec } from './testing';
import { requireUnitCode, UNIT_CODE_PATTERN } from './validation';
import { planDecider } from '../plan/plan.decider';
import { PlanEvent, PlanPublished } from '../plan/plan.events';
import { PLAN_HEADER, validatePlanRows } from '../plan/plan.rows';
import { unitDecider } from '../unit/unit.decider';

// The names a plain object inherits: as unit codes they would read Object.prototype instead of data.
const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
const at = '2024-03-01T09:00:00+08:00';
const admin = actorOf('province-admin', 'province');

const published: PlanPublished = {
  type: 'PlanPublished',
  data: {
    year: 2024,
    fileHash: 'hash-a',
    dueDay: 30,
    reminderDays: 3,
    units: [
      {
        code: 'U01',
        name: '郑州工业应用技术学院',
        kind: 'undergraduate',
        quota: { training: 7400, certified: 6300, advanced: 3200, onePlusX: 1140 },
      },
    ],
  },
};

describe('hostile keys', () => {
  it.each(HOSTILE)('the unit-code pattern refuses %s, and still takes ordinary codes', (code) => {
    expect(UNIT_CODE_PATTERN.test(code)).toBe(false);
    expect(() => requireUnitCode(code)).toThrow();
    for (const ok of ['R01', 'R18-S1', 'Constructor', 'toStringSchool', 'x_1'])
      expect(UNIT_CODE_PATTERN.test(ok)).toBe(true);
  });

  it.each(HOSTILE)('a region cannot register a school with the code %s', (code) => {
    deciderSpec(unitDecider)
      .given([])
      .when({
        type: 'RegisterSchool',
        data: { code, name: '某校', parentCode: 'R01' },
        at,
        actor: actorOf('region-operator', 'R01'),
      })
      .thenThrows('VALIDATION_FAILED');
  });

  it.each(HOSTILE)('a plan file with the code %s is refused at that row', (code) => {
    const { units, errors } = validatePlanRows(
      [...PLAN_HEADER],
      [[code, '某单位', 'undergraduate', '10', '5', '1', '0']],
    );
    expect(units).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: 'code', code: 'INVALID_CODE' })]);
  });

  it.each(HOSTILE)('adjusting the task of %s, which is no plan unit, is NOT_FOUND', (unitCode) => {
    deciderSpec(planDecider)
      .given([published])
      .when({
        type: 'AdjustQuota',
        data: { unitCode, quota: { training: 1 }, reason: '调整' },
        at,
        actor: admin,
      })
      .thenThrows('NOT_FOUND');
  });

  it.each(HOSTILE)('an adjustment event naming %s changes neither the units nor the totals', (unitCode) => {
    const hostile: PlanEvent = {
      type: 'PlanQuotaAdjusted',
      data: {
        unitCode,
        from: { training: null, certified: null, advanced: null, onePlusX: null },
        to: { training: 1e9, certified: 1e9, advanced: 0, onePlusX: 0 },
        reason: '调整',
      },
    };
    const before = fold(planDecider, [published]);
    expect(fold(planDecider, [published, hostile])).toEqual(before);
  });
});
