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

/**
 * `reportingFrom`: the first period the plan's units owe a report. Plans recorded before it existed
 * lack it and are owed from January, as they always were.
 */
export type PlanPublished = DomainEvent<
  'PlanPublished',
  {
    year: number;
    fileHash: string;
    dueDay: number;
    reminderDays: number;
    units: PlanUnit[];
    reportingFrom?: string;
  }
>;

/** Full quotas before and after, so history and as-of reads never have to replay partial patches. */
export type PlanQuotaAdjusted = DomainEvent<
  'PlanQuotaAdjusted',
  { unitCode: string; from: Quota; to: Quota; reason: string }
>;

export type ReportingStartMoved = DomainEvent<
  'ReportingStartMoved',
  { from: string; to: string; reason: string }
>;

/** A closed year takes no command on its plan, splits or reports until it is reopened. */
export type PlanYearClosed = DomainEvent<'PlanYearClosed', { reason: string }>;
export type PlanYearReopened = DomainEvent<'PlanYearReopened', { reason: string }>;

export type PlanEvent =
  | PlanPublished
  | PlanQuotaAdjusted
  | PlanSettingsChanged
  | ReportingStartMoved
  | PlanYearClosed
  | PlanYearReopened;

export const planStreamId = (year: number): string => `plan-${year}`;
