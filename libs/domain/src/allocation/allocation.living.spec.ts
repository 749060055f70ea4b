import { Quota, Share } from '../shared/figures';
import { actorOf, deciderSpec } from '../shared/testing';
import { SetSchoolShare, TransferQuota } from './allocation.commands';
import { allocationDecider, allocationView } from './allocation.decider';
import { AllocationEvent, AllocationPublished, SchoolShareSet } from './allocation.events';

/** A published split stays alive through the year (API.md v1.1, "A split that lives through the year"). */
const { given } = deciderSpec(allocationDecider);
const at = '2024-06-15T10:00:00+08:00';
const actor = actorOf('region-operator', 'R01');
const regionQuota: Quota = { training: 100, certified: 80, advanced: null, onePlusX: 10 };
const regionSchools = ['S1', 'S2', 'S3'];
const none: Share = { training: 0, certified: 0, onePlusX: 0 };
const s1: Share = { training: 60, certified: 50, onePlusX: 6 };
const s2: Share = { training: 40, certified: 30, onePlusX: 4 };
const shareSet = (schoolCode: string, share: Share, previous: Share | null = null): SchoolShareSet => ({
  type: 'SchoolShareSet',
  data: { schoolCode, share, previous },
});
const published: AllocationPublished = {
  type: 'AllocationPublished',
  data: { allocated: { training: 100, certified: 80, onePlusX: 10 } },
};
const live: AllocationEvent[] = [shareSet('S1', s1), shareSet('S2', s2), published];

const change = (
  schoolCode: string,
  share: Share,
  extra: Partial<SetSchoolShare['data']> = {},
): SetSchoolShare => ({
  type: 'SetSchoolShare',
  data: { regionQuota, regionSchools, achieved: none, schoolCode, share, reason: '新校开办', ...extra },
  at,
  actor,
});
const transfer = (data: Partial<TransferQuota['data']> = {}): TransferQuota => ({
  type: 'TransferQuota',
  data: {
    regionQuota,
    regionSchools,
    achieved: none,
    from: 'S1',
    to: 'S3',
    metric: 'training',
    amount: 10,
    reason: '新校开办',
    ...data,
  },
  at,
  actor,
});

describe('a split that lives through the year', () => {
  it('changes a published share with a reason, recording the reason', () => {
    const next = { ...s1, training: 50 };
    given(live)
      .when(change('S1', next))
      .then([
        { type: 'SchoolShareSet', data: { schoolCode: 'S1', share: next, previous: s1, reason: '新校开办' } },
      ]);
  });

  it('refuses a blank reason after publishing', () => {
    given(live)
      .when(change('S1', { ...s1, training: 50 }, { reason: '  ' }))
      .thenThrows('REASON_REQUIRED');
  });

  it('gives a share to a school registered after publishing, within what remains', () => {
    const raised = { ...regionQuota, training: 120 };
    const s3 = { training: 20, certified: 0, onePlusX: 0 };
    given(live)
      .when(change('S3', s3, { regionQuota: raised }))
      .then([
        { type: 'SchoolShareSet', data: { schoolCode: 'S3', share: s3, previous: null, reason: '新校开办' } },
      ]);
  });

  it('still refuses a sum above the region task after publishing', () => {
    given(live)
      .when(change('S3', { training: 1, certified: 0, onePlusX: 0 }))
      .thenThrows('ALLOCATION_EXCEEDS_QUOTA');
  });

  it('shows a raise of the region task as remaining until it is assigned', () => {
    given(live).thenState((s) =>
      expect(allocationView(s, { ...regionQuota, training: 130 }).remaining).toEqual({
        training: 30,
        certified: 0,
        onePlusX: 0,
      }),
    );
  });

  it('transfers to a school of the region that holds no share yet', () => {
    given(live)
      .when(transfer())
      .then([
        {
          type: 'QuotaTransferred',
          data: { from: 'S1', to: 'S3', metric: 'training', amount: 10, reason: '新校开办' },
        },
      ]);
    given([...live, ...allocationDecider.decide(transfer(), { ...fold(live) })]).thenState((s) => {
      expect(s.shares.get('S3')).toEqual({ training: 10, certified: 0, onePlusX: 0 });
      expect(s.shares.get('S1')).toEqual({ ...s1, training: 50 });
      expect(s.schoolCodes).toEqual(['S1', 'S2', 'S3']);
    });
  });

  describe('SHARE_BELOW_ACHIEVED', () => {
    const achieved: Share = { training: 55, certified: 10, onePlusX: 0 };
    it('refuses a transfer that leaves the giving school below what it achieved', () => {
      given(live)
        .when(transfer({ amount: 6, achieved }))
        .thenThrows('SHARE_BELOW_ACHIEVED');
    });
    it('allows a transfer down to exactly what it achieved', () => {
      given(live)
        .when(transfer({ amount: 5, achieved }))
        .then([
          {
            type: 'QuotaTransferred',
            data: { from: 'S1', to: 'S3', metric: 'training', amount: 5, reason: '新校开办' },
          },
        ]);
    });
    it('refuses a share change below what the school achieved', () => {
      given(live)
        .when(change('S1', { ...s1, certified: 9 }, { achieved }))
        .thenThrows('SHARE_BELOW_ACHIEVED');
    });
    it('judges a draft share the same way', () => {
      given([shareSet('S1', s1)])
        .when(change('S1', { ...s1, training: 54 }, { achieved, reason: undefined }))
        .thenThrows('SHARE_BELOW_ACHIEVED');
    });
    it('still lets a school that outran its task be raised', () => {
      const outran: Share = { training: 90, certified: 0, onePlusX: 0 };
      const raised = { ...regionQuota, training: 110 };
      given(live)
        .when(change('S1', { ...s1, training: 70 }, { achieved: outran, regionQuota: raised }))
        .then([
          {
            type: 'SchoolShareSet',
            data: { schoolCode: 'S1', share: { ...s1, training: 70 }, previous: s1, reason: '新校开办' },
          },
        ]);
    });
  });
});

function fold(events: AllocationEvent[]) {
  return events.reduce(allocationDecider.evolve, allocationDecider.initialState());
}
