import { PlanUnitKind } from '../shared/actor';
import { DomainEvent } from '../shared/decider';
import { Quota } from '../shared/figures';
import type { PlanSettingsChanged } from './plan-settings';

/** One row of Annex 1 as published: a unit and its annual task. */
export interface PlanUnit {
  code: string;
  name: string;
  kind: PlanUnitKind;
  quota: Quota;
}

export type PlanPublished = DomainEvent<
  'PlanPublished',
  { year: number; fileHash: string; dueDay: number; reminderDays: number; units: PlanUnit[] }
>;

/** Full quotas before and after, so history and as-of reads never have to replay partial patches. */
export type PlanQuotaAdjusted = DomainEvent<
  'PlanQuotaAdjusted',
  { unitCode: string; from: Quota; to: Quota; reason: string }
>;

export type PlanEvent = PlanPublished | PlanQuotaAdjusted | PlanSettingsChanged;

export const planStreamId = (year: number): string => `plan-${year}`;
