import { Command } from '../shared/decider';
import { AllocatedMetric, Quota, Share } from '../shared/figures';

/** The region's current task, read from the plan by the handler: the split is checked against it. */
interface RegionQuota {
  regionQuota: Quota;
}

/**
 * What the handler reads around the split: the city-secondary schools registered under the region (a
 * share only ever goes to one of them, whatever code a client sends) and, for the school whose share
 * would shrink, its official cumulative figures of the year (a share never drops below them).
 */
interface RegionContext extends RegionQuota {
  regionSchools: readonly string[];
  achieved: Share;
}

/** Before publishing a share is simply set; after publishing it needs a `reason`. */
export type SetSchoolShare = Command<
  'SetSchoolShare',
  RegionContext & { schoolCode: string; share: Share; reason?: string }
>;
export type PublishAllocation = Command<'PublishAllocation', RegionQuota>;
/** `achieved` is the giving school's (`from`). */
export type TransferQuota = Command<
  'TransferQuota',
  RegionContext & { from: string; to: string; metric: AllocatedMetric; amount: number; reason: string }
>;

export type AllocationCommand = SetSchoolShare | PublishAllocation | TransferQuota;
