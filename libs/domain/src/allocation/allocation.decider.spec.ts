import { Quota, Share } from '../shared/figures';
import { actorOf, deciderSpec } from '../shared/testing';
import { PublishAllocation, SetSchoolShare, TransferQuota } from './allocation.commands';
import { allocationDecider, allocationView, initialAllocationState } from './allocation.decider';
import { AllocationEvent, AllocationPublished, SchoolShareSet, QuotaTransferred } from './allocation.events';

const { given } = deciderSpec(allocationDecider);
const at = '2024-03-05T10:00:00+08:00';
const actor = actorOf('region-operator', 'R01');
const regionQuota: Quota = { training: 100, certified: 80, advanced: null, onePlusX: 10 };

const regionSchools = ['S1', 'S2', 'S3'];
const nothingAchieved: Share = { training: 0, certified: 0, onePlusX: 0 };
const setShare = (schoolCode: string, share: Share, quota = regionQuota): SetSchoolShare => ({
  type: 'SetSchoolShare',
  data: { regionQuota: quota, regionSchools, achieved: nothingAchieved, schoolCode, share },
  at,
  actor,
});
const publish = (quota = regionQuota): PublishAllocation => ({
  type: 'PublishAllocation',
  data: { regionQuota: quota },
  at,
  actor,
});
const transfer = (data: Partial<TransferQuota['data']> = {}): TransferQuota => ({
  type: 'TransferQuota',
  data: {
    regionQuota,
    regionSchools,
    achieved: nothingAchieved,
    from: 'S1',
    to: 'S2',
    metric: 'training',
    amount: 10,
    reason: '学生转学',
    ...data,
  },
  at,
  actor,
});

const shareSet = (schoolCode: string, share: Share, previous: Share | null = null): SchoolShareSet => ({
  type: 'SchoolShareSet',
  data: { schoolCode, share, previous },
});
const s1: Share = { training: 60, certified: 50, onePlusX: 6 };
const s2: Share = { training: 40, certified: 30, onePlusX: 4 };
const published: AllocationPublished = {
  type: 'AllocationPublished',
  data: { allocated: { training: 100, certified: 80, onePlusX: 10 } },
};
const complete: AllocationEvent[] = [shareSet('S1', s1), shareSet('S2', s2)];

describe('allocation decider', () => {
  describe('SetSchoolShare', () => {
    it("gives a school its first share of the region's task", () => {
      given([])
        .when(setShare('S1', s1))
        .then([shareSet('S1', s1)]);
    });

    it('changes a share, recording the previous one', () => {
      const next = { ...s1, training: 50 };
      given([shareSet('S1', s1)])
        .when(setShare('S1', next))
        .then([shareSet('S1', next, s1)]);
    });

    it('allows the sum to reach exactly the region task', () => {
      given([shareSet('S1', s1)])
        .when(setShare('S2', s2))
        .then([shareSet('S2', s2)]);
    });

    it('counts the replaced share only once when checking the sum', () => {
      given(complete)
        .when(setShare('S2', { ...s2, training: 39 }))
        .then([shareSet('S2', { ...s2, training: 39 }, s2)]);
    });

    it('refuses a share that takes the sum above the region task', () => {
      given([shareSet('S1', s1)])
        .when(setShare('S2', { ...s2, onePlusX: 5 }))
        .thenThrows('ALLOCATION_EXCEEDS_QUOTA');
    });

    it('treats an unassigned region task as 0', () => {
      given([])
        .when(setShare('S1', { training: 1, certified: 0, onePlusX: 0 }, { ...regionQuota, training: null }))
        .thenThrows('ALLOCATION_EXCEEDS_QUOTA');
    });

    it('does nothing when the share is unchanged', () => {
      given([shareSet('S1', s1)])
        .when(setShare('S1', { ...s1 }))
        .thenNothing();
    });

    it('refuses a change without a reason once the split is published', () => {
      given([...complete, published])
        .when(setShare('S1', { ...s1, training: 50 }))
        .thenThrows('ALLOCATION_PUBLISHED');
    });
    it('refuses a school the region has not registered', () => {
      given([]).when(setShare('S9', s1)).thenThrows('NOT_FOUND');
    });

    it('refuses a negative or fractional share', () => {
      given([])
        .when(setShare('S1', { ...s1, training: -1 }))
        .thenThrows('VALIDATION_FAILED');
      given([])
        .when(setShare('S1', { ...s1, certified: 0.5 }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses a missing school code', () => {
      given([]).when(setShare('', s1)).thenThrows('VALIDATION_FAILED');
    });

    it('records exactly the three allocated metrics', () => {
      given([])
        .when(setShare('S1', { ...s1, advanced: 5 } as Share))
        .then([shareSet('S1', s1)]);
    });
  });

  describe('PublishAllocation', () => {
    it('publishes a split whose sums equal the region task', () => {
      given(complete).when(publish()).then([published]);
    });

    it('refuses while any metric is left unallocated', () => {
      given([shareSet('S1', s1)])
        .when(publish())
        .thenThrows('ALLOCATION_INCOMPLETE');
    });

    it('refuses when the region task has since been raised above the split', () => {
      given(complete)
        .when(publish({ ...regionQuota, training: 101 }))
        .thenThrows('ALLOCATION_INCOMPLETE');
    });

    it('refuses to publish twice', () => {
      given([...complete, published])
        .when(publish())
        .thenThrows('ALLOCATION_PUBLISHED');
    });
  });

  describe('TransferQuota', () => {
    const transferred: QuotaTransferred = {
      type: 'QuotaTransferred',
      data: { from: 'S1', to: 'S2', metric: 'training', amount: 10, reason: '学生转学' },
    };

    it('moves quota between two schools of a published split', () => {
      given([...complete, published])
        .when(transfer())
        .then([transferred]);
    });

    it("may move all of a school's share", () => {
      given([...complete, published])
        .when(transfer({ metric: 'onePlusX', amount: 6 }))
        .then([{ type: 'QuotaTransferred', data: { ...transferred.data, metric: 'onePlusX', amount: 6 } }]);
    });

    it('refuses before the split is published', () => {
      given(complete).when(transfer()).thenThrows('ALLOCATION_NOT_PUBLISHED');
    });

    it('refuses more than the giving school holds', () => {
      given([...complete, published])
        .when(transfer({ amount: 61 }))
        .thenThrows('TRANSFER_EXCEEDS_SHARE');
    });

    it('refuses a transfer from a school to itself', () => {
      given([...complete, published])
        .when(transfer({ to: 'S1' }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses a school that is not one of the region', () => {
      given([...complete, published])
        .when(transfer({ to: 'S9' }))
        .thenThrows('NOT_FOUND');
      given([...complete, published])
        .when(transfer({ from: 'S9' }))
        .thenThrows('NOT_FOUND');
    });
    it('refuses to take from a school of the region that holds no share', () => {
      given([...complete, published])
        .when(transfer({ from: 'S3', to: 'S1' }))
        .thenThrows('NOT_FOUND');
    });

    it('refuses a zero, negative or fractional amount', () => {
      for (const amount of [0, -1, 1.5]) {
        given([...complete, published])
          .when(transfer({ amount }))
          .thenThrows('VALIDATION_FAILED');
      }
    });

    it('refuses the advanced metric, which regions never split', () => {
      given([...complete, published])
        .when(transfer({ metric: 'advanced' as never }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses a blank reason', () => {
      given([...complete, published])
        .when(transfer({ reason: ' ' }))
        .thenThrows('REASON_REQUIRED');
    });
  });

  describe('state and view', () => {
    it('starts as an empty draft', () => {
      expect(allocationView(initialAllocationState(), regionQuota)).toEqual({
        status: 'draft',
        quota: { training: 100, certified: 80, onePlusX: 10 },
        allocated: { training: 0, certified: 0, onePlusX: 0 },
        remaining: { training: 100, certified: 80, onePlusX: 10 },
        schools: [],
      });
    });

    it('shows the split, what is left and the schools in the order they joined', () => {
      given([shareSet('S2', s2), shareSet('S1', s1), shareSet('S2', { ...s2, training: 30 }, s2)]).thenState(
        (s) =>
          expect(allocationView(s, regionQuota)).toEqual({
            status: 'draft',
            quota: { training: 100, certified: 80, onePlusX: 10 },
            allocated: { training: 90, certified: 80, onePlusX: 10 },
            remaining: { training: 10, certified: 0, onePlusX: 0 },
            schools: [
              { code: 'S2', quota: { ...s2, training: 30 } },
              { code: 'S1', quota: s1 },
            ],
          }),
      );
    });

    it('keeps "not assigned" as null in the quota while counting it as 0 for what is left', () => {
      const view = allocationView(initialAllocationState(), { ...regionQuota, onePlusX: null });
      expect(view.quota.onePlusX).toBeNull();
      expect(view.remaining.onePlusX).toBe(0);
    });

    it('applies transfers and keeps the sums after publishing', () => {
      const t: QuotaTransferred = {
        type: 'QuotaTransferred',
        data: { from: 'S1', to: 'S2', metric: 'certified', amount: 20, reason: 'x' },
      };
      given([...complete, published, t]).thenState((s) => {
        const view = allocationView(s, regionQuota);
        expect(view.status).toBe('published');
        expect(view.schools.map((x) => x.quota.certified)).toEqual([30, 50]);
        expect(view.remaining).toEqual({ training: 0, certified: 0, onePlusX: 0 });
      });
    });

    it('ignores a transfer from a school without a share rather than throwing', () => {
      const t: QuotaTransferred = {
        type: 'QuotaTransferred',
        data: { from: 'S9', to: 'S1', metric: 'training', amount: 1, reason: 'x' },
      };
      given([...complete, t]).thenState((s) => expect(s.shares.get('S1')).toEqual(s1));
    });
  });
});
