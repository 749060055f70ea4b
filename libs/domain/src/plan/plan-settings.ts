import { Command, DomainEvent } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { invalid } from '../shared/validation';

/** Settings of a plan year that are not part of the plan file; each change is a fact of its own. */
export interface PlanYearSettings {
  /** Acceptance needs the sealed paper form (签字盖章扫描件) of the revision accepted. */
  requireScan: boolean;
}

export const DEFAULT_PLAN_SETTINGS: PlanYearSettings = { requireScan: false };

export type PlanSettingsChanged = DomainEvent<
  'PlanSettingsChanged',
  { from: PlanYearSettings; to: PlanYearSettings }
>;

export type ChangePlanSettings = Command<'ChangePlanSettings', { requireScan: boolean }>;

/** Settings change only on a published plan; the same settings again record nothing. */
export function changePlanSettings(
  { data }: ChangePlanSettings,
  state: { status: string; settings?: PlanYearSettings },
): PlanSettingsChanged[] {
  if (state.status !== 'published') throw new DomainError('PLAN_NOT_PUBLISHED', '计划尚未发布');
  if (typeof data.requireScan !== 'boolean') {
    throw invalid('requireScan 必须是 true 或 false', [
      { field: 'requireScan', code: 'INVALID_BOOLEAN', message: '必须是 true 或 false' },
    ]);
  }
  const from = state.settings ?? DEFAULT_PLAN_SETTINGS;
  if (from.requireScan === data.requireScan) return [];
  return [{ type: 'PlanSettingsChanged', data: { from, to: { requireScan: data.requireScan } } }];
}
