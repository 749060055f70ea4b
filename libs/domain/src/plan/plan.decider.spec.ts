import { actorOf, deciderSpec } from '../shared/testing';
import { AdjustQuota, PublishPlan } from './plan.commands';
import { planDecider, planUnits } from './plan.decider';
import { PlanPublished, PlanQuotaAdjusted, PlanUnit } from './plan.events';

const { given } = deciderSpec(planDecider);
const at = '2024-03-01T09:00:00+08:00';
const actor = actorOf('province-admin', 'province');

const units: PlanUnit[] = [
  {
    code: 'R01',
    name: '郑州市(含巩义市)',
    kind: 'region',
    quota: { training: 80600, certified: 68300, advanced: null, onePlusX: 12420 },
  },
  {
    code: 'U01',
    name: '郑州工业应用技术学院',
    kind: 'undergraduate',
    quota: { training: 7400, certified: 6300, advanced: 3200, onePlusX: 1140 },
  },
];

const publish = (data: Partial<PublishPlan['data']> = {}): PublishPlan => ({
  type: 'PublishPlan',
  data: { year: 2024, fileHash: 'hash-a', units, ...data },
  at,
  actor,
});
const published: PlanPublished = {
  type: 'PlanPublished',
  data: { year: 2024, fileHash: 'hash-a', dueDay: 30, reminderDays: 3, units, reportingFrom: '2024-03' },
};
const adjust = (data: Partial<AdjustQuota['data']>): AdjustQuota => ({
  type: 'AdjustQuota',
  data: { unitCode: 'R01', quota: {}, reason: '学校合并', ...data },
  at,
  actor,
});

describe('plan decider', () => {
  describe('PublishPlan', () => {
    it('publishes a new plan with the default due day 30 and reminders 3 days ahead', () => {
      given([]).when(publish()).then([published]);
    });

    it('publishes the due day and reminder days the province chose', () => {
      given([])
        .when(publish({ dueDay: 25, reminderDays: 5 }))
        .then([{ ...published, data: { ...published.data, dueDay: 25, reminderDays: 5 } }]);
    });

    it('records only the fields of each unit, trimmed', () => {
      const noisy = [{ ...units[0], name: ' 郑州市(含巩义市) ', extra: 1 } as PlanUnit, units[1]];
      given([])
        .when(publish({ units: noisy }))
        .then([published]);
    });

    it('does nothing when the same file is published again', () => {
      given([published]).when(publish()).thenNothing();
    });

    it('refuses a different file once a plan is published', () => {
      given([published])
        .when(publish({ fileHash: 'hash-b' }))
        .thenThrows('PLAN_ALREADY_PUBLISHED');
    });

    it('refuses a plan without units', () => {
      given([])
        .when(publish({ units: [] }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses duplicate codes, bad kinds and bad figures, listing each', () => {
      const bad = [
        units[0],
        { ...units[0], kind: 'city-secondary' },
        { ...units[1], quota: { ...units[1].quota, training: -1 } },
      ] as PlanUnit[];
      const error = given([])
        .when(publish({ units: bad }))
        .thenThrows('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual([
        'units[1].code',
        'units[1].kind',
        'units[2].quota.training',
      ]);
    });

    it('refuses a unit whose advanced task exceeds its certified task', () => {
      const bad = [{ ...units[1], quota: { ...units[1].quota, advanced: 9999 } }];
      const error = given([])
        .when(publish({ units: bad }))
        .thenThrows('VALIDATION_FAILED');
      expect(error.errors?.[0].code).toBe('ADVANCED_EXCEEDS_CERTIFIED');
    });

    it('refuses a due day outside 1..31 and negative reminder days', () => {
      given([])
        .when(publish({ dueDay: 0 }))
        .thenThrows('VALIDATION_FAILED');
      given([])
        .when(publish({ reminderDays: -1 }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses a year that is not a plan year, or a missing file hash', () => {
      given([])
        .when(publish({ year: 24 }))
        .thenThrows('VALIDATION_FAILED');
      given([])
        .when(publish({ fileHash: ' ' }))
        .thenThrows('VALIDATION_FAILED');
    });
  });

  describe('AdjustQuota', () => {
    const adjusted: PlanQuotaAdjusted = {
      type: 'PlanQuotaAdjusted',
      data: {
        unitCode: 'R01',
        from: units[0].quota,
        to: { training: 80000, certified: 68300, advanced: null, onePlusX: 12420 },
        reason: '学校合并',
      },
    };

    it('changes only the metrics named, recording the whole quota before and after', () => {
      given([published])
        .when(adjust({ quota: { training: 80000 } }))
        .then([adjusted]);
    });

    it('may un-assign a metric with null', () => {
      given([published])
        .when(adjust({ unitCode: 'U01', quota: { advanced: null } }))
        .then([
          {
            type: 'PlanQuotaAdjusted',
            data: {
              unitCode: 'U01',
              from: units[1].quota,
              to: { ...units[1].quota, advanced: null },
              reason: '学校合并',
            },
          },
        ]);
    });

    it('refuses when no plan is published', () => {
      given([])
        .when(adjust({ quota: { training: 1 } }))
        .thenThrows('PLAN_NOT_PUBLISHED');
    });

    it('refuses a unit that is not in the plan', () => {
      given([published])
        .when(adjust({ unitCode: 'R99', quota: { training: 1 } }))
        .thenThrows('NOT_FOUND');
    });

    it('refuses a blank reason', () => {
      given([published])
        .when(adjust({ quota: { training: 1 }, reason: '  ' }))
        .thenThrows('REASON_REQUIRED');
    });

    it('refuses a figure that is negative, fractional or a metric that does not exist', () => {
      given([published])
        .when(adjust({ quota: { training: 1.5 } }))
        .thenThrows('VALIDATION_FAILED');
      given([published])
        .when(adjust({ quota: { bogus: 1 } as never }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses an advanced task above the certified task', () => {
      given([published])
        .when(adjust({ unitCode: 'U01', quota: { certified: 3000 } }))
        .thenThrows('ADVANCED_EXCEEDS_CERTIFIED');
    });

    it("refuses to take a region's task below what it already split among its schools", () => {
      const allocated = { training: 80000, certified: 60000, onePlusX: 12000 };
      given([published])
        .when(adjust({ quota: { training: 79999 }, allocated }))
        .thenThrows('ALLOCATION_EXCEEDS_QUOTA');
      given([published])
        .when(adjust({ quota: { onePlusX: null }, allocated }))
        .thenThrows('ALLOCATION_EXCEEDS_QUOTA');
    });

    it('allows a region down to exactly what it split', () => {
      given([published])
        .when(
          adjust({ quota: { training: 80000 }, allocated: { training: 80000, certified: 0, onePlusX: 0 } }),
        )
        .then([adjusted]);
    });

    it('does nothing when the adjustment changes nothing', () => {
      given([published])
        .when(adjust({ quota: { training: 80600, advanced: null } }))
        .thenNothing();
    });
  });

  describe('state', () => {
    it('starts unpublished', () => {
      given([]).thenState((s) => expect(s).toEqual({ status: 'unpublished' }));
    });

    it('holds units by code in file order, with totals that ignore not-assigned metrics', () => {
      given([published]).thenState((s) => {
        expect(s.status).toBe('published');
        if (s.status !== 'published') return;
        expect(s.totals).toEqual({ training: 88000, certified: 74600, advanced: 3200, onePlusX: 13560 });
        expect(planUnits(s).map((u) => u.code)).toEqual(['R01', 'U01']);
        expect(s.units.U01.quota.advanced).toBe(3200);
      });
    });

    it('applies an adjustment to the unit and the totals', () => {
      const adjusted: PlanQuotaAdjusted = {
        type: 'PlanQuotaAdjusted',
        data: {
          unitCode: 'R01',
          from: units[0].quota,
          to: { ...units[0].quota, training: 80000 },
          reason: 'x',
        },
      };
      given([published, adjusted]).thenState((s) => {
        if (s.status !== 'published') throw new Error('unpublished');
        expect(s.units.R01.quota.training).toBe(80000);
        expect(s.totals.training).toBe(87400);
      });
    });

    it('ignores an adjustment it cannot place rather than throwing', () => {
      const stray: PlanQuotaAdjusted = {
        type: 'PlanQuotaAdjusted',
        data: { unitCode: 'R99', from: units[0].quota, to: units[0].quota, reason: 'x' },
      };
      given([stray]).thenState((s) => expect(s).toEqual({ status: 'unpublished' }));
      given([published, stray]).thenState((s) => expect(planUnits(s)).toEqual(units));
    });
  });
});
