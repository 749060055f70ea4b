import { PLAN_UNIT_KINDS, PlanUnitKind } from '../shared/actor';
import { FieldError } from '../shared/errors';
import { Figures, MAX_FIGURE, Metric, METRICS, Quota, zeroFigures } from '../shared/figures';
import { METRIC_LABELS, PROVINCE_CODE, UNIT_CODE_PATTERN } from '../shared/validation';
import { PlanUnit } from './plan.events';

export const PLAN_HEADER = ['code', 'name', 'kind', 'training', 'certified', 'advanced', 'onePlusX'] as const;
export type PlanColumn = (typeof PLAN_HEADER)[number];

export const PLAN_COLUMN_LABELS: Record<PlanColumn, string> = {
  code: '单位代码',
  name: '单位名称',
  kind: '单位类型',
  ...METRIC_LABELS,
};

export const PLAN_UNIT_KIND_LABELS: Record<PlanUnitKind, string> = {
  region: '省辖市、济源示范区、航空港区',
  undergraduate: '本科高校',
  'higher-vocational': '高职院校',
  'provincial-secondary': '省属中等职业学校',
};

export const MAX_UNIT_NAME = 100;

/** A bad cell of the plan file. `row` counts the header as row 1, as a spreadsheet does. */
export interface PlanRowError extends FieldError {
  row: number;
  column: PlanColumn | null;
}

/** The notice prints "—" for "not assigned"; an empty cell or an ASCII hyphen means the same. */
const NOT_ASSIGNED = new Set(['', '—', '-']);

export function planTotals(units: { quota: Quota }[]): Figures {
  const totals = zeroFigures();
  for (const { quota } of units) for (const m of METRICS) totals[m] += quota[m] ?? 0;
  return totals;
}

const rowError = (row: number, column: PlanColumn | null, code: string, message: string): PlanRowError => ({
  row,
  column,
  field: column ? `row${row}.${column}` : `row${row}`,
  code,
  message,
});

/**
 * Checks the plan file cell by cell and reports every bad cell, not just the first, so the province
 * fixes its spreadsheet in one pass. Returns the units of the rows that are valid.
 */
export function validatePlanRows(
  header: string[],
  rows: string[][],
): { units: PlanUnit[]; errors: PlanRowError[] } {
  // Excel writes a BOM before the first header cell; it is not part of the name.
  const cells = header.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
  if (cells.length !== PLAN_HEADER.length || PLAN_HEADER.some((h, i) => cells[i] !== h)) {
    return {
      units: [],
      errors: [rowError(1, null, 'HEADER_MISMATCH', `第 1 行表头必须是“${PLAN_HEADER.join(',')}”`)],
    };
  }

  const units: PlanUnit[] = [];
  const errors: PlanRowError[] = [];
  const firstRowOfCode = new Map<string, number>();

  rows.forEach((raw, index) => {
    const row = index + 2;
    const trimmed = raw.map((c) => (c ?? '').trim());
    if (trimmed.every((c) => c === '')) return; // a blank line carries nothing
    // Trailing empty cells (a stray comma at the end of a line) are harmless; anything else is not.
    if (trimmed.length < PLAN_HEADER.length || trimmed.slice(PLAN_HEADER.length).some((c) => c !== '')) {
      errors.push(
        rowError(
          row,
          null,
          'COLUMN_COUNT',
          `第 ${row} 行应有 ${PLAN_HEADER.length} 列，实际为 ${raw.length} 列`,
        ),
      );
      return;
    }
    const [code, name, kind] = trimmed;
    const before = errors.length;

    if (!UNIT_CODE_PATTERN.test(code)) {
      errors.push(
        rowError(
          row,
          'code',
          'INVALID_CODE',
          `第 ${row} 行“单位代码”须为 1 到 32 位字母、数字、“-”或“_”，且不能是 constructor、toString 等保留字`,
        ),
      );
    } else if (code === PROVINCE_CODE) {
      errors.push(rowError(row, 'code', 'INVALID_CODE', `第 ${row} 行“单位代码”不能是 ${PROVINCE_CODE}`));
    } else if (firstRowOfCode.has(code)) {
      const first = firstRowOfCode.get(code);
      errors.push(
        rowError(row, 'code', 'DUPLICATE_CODE', `第 ${row} 行“单位代码”${code} 与第 ${first} 行重复`),
      );
    } else {
      firstRowOfCode.set(code, row);
    }

    if (name === '') errors.push(rowError(row, 'name', 'REQUIRED', `第 ${row} 行“单位名称”不能为空`));
    else if ([...name].length > MAX_UNIT_NAME) {
      errors.push(
        rowError(row, 'name', 'TOO_LONG', `第 ${row} 行“单位名称”不能超过 ${MAX_UNIT_NAME} 个字符`),
      );
    }

    if (!(PLAN_UNIT_KINDS as readonly string[]).includes(kind)) {
      errors.push(
        rowError(
          row,
          'kind',
          'INVALID_KIND',
          `第 ${row} 行“单位类型”必须是 ${PLAN_UNIT_KINDS.join('、')} 之一`,
        ),
      );
    }

    const quota = {} as Quota;
    METRICS.forEach((m: Metric, i) => {
      const cell = trimmed[3 + i];
      if (NOT_ASSIGNED.has(cell)) quota[m] = null;
      else if (/^\d+$/.test(cell) && Number(cell) <= MAX_FIGURE) quota[m] = Number(cell);
      else {
        quota[m] = null;
        errors.push(
          rowError(
            row,
            m,
            'INVALID_FIGURE',
            `第 ${row} 行“${METRIC_LABELS[m]}”必须是 0 到 ${MAX_FIGURE} 的整数`,
          ),
        );
      }
    });
    if (quota.advanced !== null && quota.certified !== null && quota.advanced > quota.certified) {
      errors.push(
        rowError(
          row,
          'advanced',
          'ADVANCED_EXCEEDS_CERTIFIED',
          `第 ${row} 行“${METRIC_LABELS.advanced}”（${quota.advanced}）不能大于“取证人数”（${quota.certified}）`,
        ),
      );
    }

    if (errors.length === before) units.push({ code, name, kind: kind as PlanUnitKind, quota });
  });

  if (errors.length === 0 && units.length === 0) {
    errors.push(rowError(2, null, 'NO_ROWS', '计划文件没有任何单位行'));
  }
  return { units, errors };
}
