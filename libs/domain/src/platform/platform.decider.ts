import { Command, Decider } from '../shared/decider';
import { FieldError } from '../shared/errors';
import { isFigure, MAX_FIGURE_TEXT } from '../shared/validation';
import { PlatformEvent, PlatformFigure } from './platform.events';

export type ImportPlatformFigures = Command<
  'ImportPlatformFigures',
  { period: string; fileHash: string; figures: PlatformFigure[] }
>;

export interface PlatformState {
  fileHash: string | null;
  figures: PlatformFigure[];
}

/** The platform's figures for one month: a new file replaces the old one; the same file again changes nothing. */
export const platformDecider: Decider<ImportPlatformFigures, PlatformState, PlatformEvent> = {
  initialState: () => ({ fileHash: null, figures: [] }),
  decide(command, state) {
    if (state.fileHash === command.data.fileHash) return [];
    return [{ type: 'PlatformFiguresImported', data: command.data }];
  },
  evolve(state, event) {
    return event.type === 'PlatformFiguresImported'
      ? { fileHash: event.data.fileHash, figures: event.data.figures }
      : state;
  },
};

export const PLATFORM_HEADER = ['unitCode', 'training'] as const;

export interface PlatformRowError extends FieldError {
  row: number;
  column: (typeof PLATFORM_HEADER)[number] | null;
}

/**
 * Checks the platform's export cell by cell (every bad cell at once): the header, known unit codes,
 * training as a whole number of person-times, each unit once.
 */
export function validatePlatformRows(
  header: string[],
  rows: string[][],
  knownUnits: ReadonlySet<string>,
): { figures: PlatformFigure[]; errors: PlatformRowError[] } {
  const cells = header.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
  if (
    cells.length < 2 ||
    cells[0] !== 'unitCode' ||
    cells[1] !== 'training' ||
    cells.slice(2).some((c) => c !== '')
  ) {
    return {
      figures: [],
      errors: [
        {
          row: 1,
          column: null,
          field: 'row1',
          code: 'INVALID_HEADER',
          message: '表头必须是 unitCode,training',
        },
      ],
    };
  }
  const errors: PlatformRowError[] = [];
  const figures: PlatformFigure[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, index) => {
    const row = index + 2;
    const [code = '', text = ''] = raw.map((c) => c.trim());
    if (raw.every((c) => c.trim() === '')) return;
    const error = (column: PlatformRowError['column'], code: string, message: string) =>
      errors.push({ row, column, field: `row${row}.${column}`, code, message });
    let ok = true;
    if (!knownUnits.has(code)) {
      error('unitCode', 'UNKNOWN_UNIT', `第 ${row} 行单位代码“${code}”不存在`);
      ok = false;
    } else if (seen.has(code)) {
      error('unitCode', 'DUPLICATE_CODE', `第 ${row} 行单位代码“${code}”重复`);
      ok = false;
    }
    const training = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!isFigure(training)) {
      error('training', 'INVALID_FIGURE', `第 ${row} 行“培训人次”必须是 0 到 ${MAX_FIGURE_TEXT} 的整数`);
      ok = false;
    }
    seen.add(code);
    if (ok) figures.push({ unitCode: code, training });
  });
  return { figures, errors };
}

export interface ReconciliationRow {
  code: string;
  reported: number | null;
  platform: number | null;
  difference: number | null;
}

/** reported − platform per unit; no official report means no difference to speak of (null). */
export function reconcile(
  codes: string[],
  reported: Map<string, number>,
  platform: Map<string, number>,
): ReconciliationRow[] {
  return codes.map((code) => {
    const r = reported.has(code) ? reported.get(code)! : null;
    const p = platform.has(code) ? platform.get(code)! : null;
    return { code, reported: r, platform: p, difference: r === null ? null : r - (p ?? 0) };
  });
}
