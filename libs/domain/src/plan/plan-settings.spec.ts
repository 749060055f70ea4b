import { actorOf, deciderSpec } from '../shared/testing';
import { planDecider } from './plan.decider';
import { PlanPublished } from './plan.events';
import { ChangePlanSettings, PlanSettingsChanged } from './plan-settings';

const { given } = deciderSpec(planDecider);
const actor = actorOf('province-admin', 'province');
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
const settings = (requireScan: unknown): ChangePlanSettings => ({
  type: 'ChangePlanSettings',
  data: { requireScan: requireScan as boolean },
  at: '2024-03-01T09:00:00+08:00',
  actor,
});
const changed = (from: boolean, to: boolean): PlanSettingsChanged => ({
  type: 'PlanSettingsChanged',
  data: { from: { requireScan: from }, to: { requireScan: to } },
});

describe('plan decider: settings of the year', () => {
  it('requires the sealed form from now on, recording what it was before', () => {
    given([published])
      .when(settings(true))
      .then([changed(false, true)]);
    given([published, changed(false, true)]).thenState((s) =>
      expect(s.status === 'published' && s.settings?.requireScan).toBe(true),
    );
  });

  it('turns the requirement off again', () => {
    given([published, changed(false, true)])
      .when(settings(false))
      .then([changed(true, false)]);
  });

  it('records nothing when the setting already has that value', () => {
    given([published]).when(settings(false)).thenNothing();
    given([published, changed(false, true)])
      .when(settings(true))
      .thenNothing();
  });

  it('refuses a plan not yet published, and a value that is not a boolean', () => {
    given([]).when(settings(true)).thenThrows('PLAN_NOT_PUBLISHED');
    given([published]).when(settings('yes')).thenThrows('VALIDATION_FAILED');
  });
});
