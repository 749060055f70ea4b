import { Command } from '../shared/decider';
import { Quota, Share } from '../shared/figures';
import { PlanUnit } from './plan.events';
import type { ChangePlanSettings } from './plan-settings';

/** Without `reportingFrom`, units owe reports from the period in which the plan is published. */
export type PublishPlan = Command<
  'PublishPlan',
  {
    year: number;
    fileHash: string;
    units: PlanUnit[];
    dueDay?: number;
    reminderDays?: number;
    reportingFrom?: string;
  }
>;

/**
 * `quota` patches only the metrics it names; `null` un-assigns one. `allocated` is what the region has
 * already split among its schools (the handler reads it from the allocation stream), null when none.
 */
export type AdjustQuota = Command<
  'AdjustQuota',
  { unitCode: string; quota: Partial<Quota>; reason: string; allocated?: Share | null }
>;

export type MoveReportingStart = Command<'MoveReportingStart', { period: string; reason: string }>;
export type CloseYear = Command<'CloseYear', { reason: string }>;
export type ReopenYear = Command<'ReopenYear', { reason: string }>;

export type PlanCommand =
  PublishPlan | AdjustQuota | ChangePlanSettings | MoveReportingStart | CloseYear | ReopenYear;
