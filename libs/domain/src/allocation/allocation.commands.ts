import { Command } from '../shared/decider';
import { AllocatedMetric, Quota, Share } from '../shared/figures';

/** The region's current task, read from the plan by the handler: the split is checked against it. */
interface RegionQuota {
  regionQuota: Quota;
}

export type SetSchoolShare = Command<'SetSchoolShare', RegionQuota & { schoolCode: string; share: Share }>;
export type PublishAllocation = Command<'PublishAllocation', RegionQuota>;
export type TransferQuota = Command<
  'TransferQuota',
  RegionQuota & { from: string; to: string; metric: AllocatedMetric; amount: number; reason: string }
>;

export type AllocationCommand = SetSchoolShare | PublishAllocation | TransferQuota;
