import { PLAN_UNIT_KINDS } from '../shared/actor';
import { Decider } from '../shared/decider';
import { DomainError, FieldError } from '../shared/errors';
import { ALLOCATED_METRICS, Figures, METRICS, Quota } from '../shared/figures';
import {
  advancedExceedsCertified,
  invalid,
  isBlank,
  isQuotaValue,
  METRIC_LABELS,
  ownEntry,
  PROVINCE_CODE,
  requireReason,
  sameFigures,
  UNIT_CODE_PATTERN,
} from '../shared/validation';
import { AdjustQuota, PlanCommand, PublishPlan } from './plan.commands';
import { PlanEvent, PlanUnit } from './plan.events';
import { MAX_UNIT_NAME, planTotals } from './plan.rows';
import { changePlanSettings, type PlanYearSettings } from './plan-settings';
import { closeYear, moveReportingStart, reopenYear, reportingFromOf, yearClosed } from './plan.year';

export const DEFAULT_DUE_DAY = 30;
export const DEFAULT_REMINDER_DAYS = 3;

export type PlanState =
  | { status: 'unpublished' }
  | {
      status: 'published';
      year: number;
      fileHash: string;
      dueDay: number;
      reminderDays: number;
      /** The first period the plan's units owe a report. */
      reportingFrom: string;
      /** A closed year takes no command until reopened. */
      closed: boolean;
      /** Units in the order of the plan file (object keys alone would reorder numeric codes). */
      unitCodes: string[];
      units: Record<string, PlanUnit>;
      totals: Figures;
      /** Absent until the first settings change: every setting then has its default. */
      settings?: PlanYearSettings;
    };

export const initialPlanState = (): PlanState => ({ status: 'unpublished' });

function unitErrors(units: unknown): FieldError[] {
  if (!Array.isArray(units) || units.length === 0) {
    return [{ field: 'units', code: 'REQUIRED', message: '计划至少要有一个单位' }];
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  units.forEach((u: Partial<PlanUnit> | null, i) => {
    const field = `units[${i}]`;
    const unit = u ?? {};
    if (typeof unit.code !== 'string' || !UNIT_CODE_PATTERN.test(unit.code) || unit.code === PROVINCE_CODE) {
      errors.push({ field: `${field}.code`, code: 'INVALID_CODE', message: '单位代码不符合要求' });
    } else if (seen.has(unit.code)) {
      errors.push({ field: `${field}.code`, code: 'DUPLICATE_CODE', message: `单位代码 ${unit.code} 重复` });
    } else seen.add(unit.code);
    if (isBlank(unit.name) || [...(unit.name as string).trim()].length > MAX_UNIT_NAME) {
      errors.push({
        field: `${field}.name`,
        code: 'INVALID_NAME',
        message: `单位名称不能为空且不超过 ${MAX_UNIT_NAME} 个字符`,
      });
    }
    if (!(PLAN_UNIT_KINDS as readonly unknown[]).includes(unit.kind)) {
      errors.push({ field: `${field}.kind`, code: 'INVALID_KIND', message: '单位类型不符合要求' });
    }
    const quota = (unit.quota ?? {}) as Record<string, unknown>;
    const bad = METRICS.filter((m) => !isQuotaValue(quota[m]));
    bad.forEach((m) =>
      errors.push({
        field: `${field}.quota.${m}`,
        code: 'INVALID_FIGURE',
        message: `“${METRIC_LABELS[m]}”不符合要求`,
      }),
    );
    if (bad.length === 0 && advancedExceedsCertified(quota as Quota)) {
      errors.push({
        field: `${field}.quota.advanced`,
        code: 'ADVANCED_EXCEEDS_CERTIFIED',
        message: '“其中高级工及以上”不能大于“取证人数”',
      });
    }
  });
  return errors;
}

function intIn(value: number | undefined, fallback: number, min: number, max: number, label: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(`${label}必须是 ${min} 到 ${max} 的整数`);
  return v;
}

function publish({ data, at }: PublishPlan, state: PlanState): PlanEvent[] {
  if (state.status === 'published') {
    if (state.closed) throw yearClosed(state.year);
    // Re-importing the same file is a retry, not a conflict; a different file needs adjustments.
    if (state.fileHash === data.fileHash) return [];
    throw new DomainError('PLAN_ALREADY_PUBLISHED', `${state.year} 年度计划已发布，请通过任务调整修改`);
  }
  if (!Number.isInteger(data.year) || data.year < 2000 || data.year > 2999)
    throw invalid('计划年度不符合要求');
  if (isBlank(data.fileHash)) throw invalid('缺少计划文件摘要');
  const dueDay = intIn(data.dueDay, DEFAULT_DUE_DAY, 1, 31, '截止日');
  const reminderDays = intIn(data.reminderDays, DEFAULT_REMINDER_DAYS, 0, 27, '提醒提前天数');
  const reportingFrom = reportingFromOf({ data, at } as PublishPlan);
  const errors = unitErrors(data.units);
  if (errors.length > 0) throw invalid('计划中有不符合要求的单位', errors);
  // Copy field by field so nothing the caller tacked on ends up in the ledger.
  const units = data.units.map(({ code, name, kind, quota }) => ({
    code,
    name: name.trim(),
    kind,
    quota: {
      training: quota.training,
      certified: quota.certified,
      advanced: quota.advanced,
      onePlusX: quota.onePlusX,
    },
  }));
  return [
    {
      type: 'PlanPublished',
      data: { year: data.year, fileHash: data.fileHash, dueDay, reminderDays, units, reportingFrom },
    },
  ];
}

function adjust({ data }: AdjustQuota, state: PlanState): PlanEvent[] {
  if (state.status !== 'published') throw new DomainError('PLAN_NOT_PUBLISHED', '计划尚未发布');
  if (state.closed) throw yearClosed(state.year);
  const unit = typeof data.unitCode === 'string' ? ownEntry(state.units, data.unitCode) : undefined;
  if (!unit) throw new DomainError('NOT_FOUND', `计划中没有单位 ${data.unitCode}`);

  const patch = (data.quota ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(patch)
    .filter(
      (k) =>
        patch[k] !== undefined && (!(METRICS as readonly string[]).includes(k) || !isQuotaValue(patch[k])),
    )
    .map((k) => ({
      field: `quota.${k}`,
      code: 'INVALID_FIGURE',
      message: '任务数必须是 0 到 1000000000 的整数或 null',
    }));
  if (errors.length > 0) throw invalid('调整的任务数不符合要求', errors);
  const reason = requireReason(data.reason);

  const from = unit.quota;
  const to = { ...from };
  for (const m of METRICS) if (patch[m] !== undefined) to[m] = patch[m] as number | null;

  if (advancedExceedsCertified(to)) {
    throw new DomainError('ADVANCED_EXCEEDS_CERTIFIED', '“其中高级工及以上”不能大于“取证人数”');
  }
  const allocated = data.allocated;
  if (allocated) {
    const below = ALLOCATED_METRICS.filter((m) => (to[m] ?? 0) < allocated[m]);
    if (below.length > 0) {
      const list = below.map((m) => `“${METRIC_LABELS[m]}”（已分解 ${allocated[m]}）`).join('、');
      throw new DomainError('ALLOCATION_EXCEEDS_QUOTA', `调整后的任务低于已分解给所属学校的任务：${list}`);
    }
  }
  if (sameFigures(from, to)) return [];
  return [{ type: 'PlanQuotaAdjusted', data: { unitCode: unit.code, from, to, reason } }];
}

export const planDecider: Decider<PlanCommand, PlanState, PlanEvent> = {
  initialState: initialPlanState,

  decide(command, state) {
    switch (command.type) {
      case 'PublishPlan':
        return publish(command, state);
      case 'AdjustQuota':
        return adjust(command, state);
      case 'ChangePlanSettings':
        if (state.status === 'published' && state.closed) throw yearClosed(state.year);
        return changePlanSettings(command, state);
      case 'MoveReportingStart':
      case 'CloseYear':
      case 'ReopenYear': {
        if (state.status !== 'published') throw new DomainError('PLAN_NOT_PUBLISHED', '计划尚未发布');
        if (command.type === 'MoveReportingStart') return moveReportingStart(command, state.year, state);
        if (command.type === 'CloseYear') return closeYear(command, state.year, state);
        return reopenYear(command, state.year, state);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PlanPublished': {
        const { year, fileHash, dueDay, reminderDays, units } = event.data;
        return {
          status: 'published',
          year,
          fileHash,
          dueDay,
          reminderDays,
          reportingFrom: event.data.reportingFrom ?? `${year}-01`,
          closed: false,
          unitCodes: units.map((u) => u.code),
          units: Object.fromEntries(units.map((u) => [u.code, u])),
          totals: planTotals(units),
        };
      }
      case 'PlanQuotaAdjusted': {
        const unit = state.status === 'published' ? ownEntry(state.units, event.data.unitCode) : undefined;
        if (state.status !== 'published' || !unit) return state;
        const units = { ...state.units, [unit.code]: { ...unit, quota: event.data.to } };
        return { ...state, units, totals: planTotals(Object.values(units)) };
      }
      case 'PlanSettingsChanged':
        return state.status === 'published' ? { ...state, settings: event.data.to } : state;
      case 'ReportingStartMoved':
        return state.status === 'published' ? { ...state, reportingFrom: event.data.to } : state;
      case 'PlanYearClosed':
        return state.status === 'published' ? { ...state, closed: true } : state;
      case 'PlanYearReopened':
        return state.status === 'published' ? { ...state, closed: false } : state;
      default:
        return state;
    }
  },
};

/** The plan's units in file order, for read models and the progress table. */
export const planUnits = (state: PlanState): PlanUnit[] =>
  state.status === 'published' ? state.unitCodes.map((c) => state.units[c]) : [];
