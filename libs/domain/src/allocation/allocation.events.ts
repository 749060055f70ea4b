import { DomainEvent } from '../shared/decider';
import { AllocatedMetric, Share } from '../shared/figures';

/**
 * `previous` is null the first time a school gets a share: the history shows every change as from → to.
 * `reason` is there for a change after publishing (the schools were already told their task).
 */
export type SchoolShareSet = DomainEvent<
  'SchoolShareSet',
  { schoolCode: string; share: Share; previous: Share | null; reason?: string }
>;

/** Records the split as published, so an audit sees what the schools were told. */
export type AllocationPublished = DomainEvent<'AllocationPublished', { allocated: Share }>;

export type QuotaTransferred = DomainEvent<
  'QuotaTransferred',
  { from: string; to: string; metric: AllocatedMetric; amount: number; reason: string }
>;

export type AllocationEvent = SchoolShareSet | AllocationPublished | QuotaTransferred;

export const allocationStreamId = (year: number, regionCode: string): string =>
  `allocation-${year}-${regionCode}`;
