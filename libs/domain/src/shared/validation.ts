import { DomainError, FieldError } from './errors';
import { Figures, MAX_FIGURE, Metric, METRICS, Quota } from './figures';

/** Chinese labels as Annex 1 and Annex 2 print them, for messages a civil servant can read. */
export const METRIC_LABELS: Record<Metric, string> = {
  training: '培训任务',
  certified: '取证人数',
  advanced: '其中高级工及以上',
  onePlusX: '1+X 证书取证人数',
};

/**
 * Names every plain object inherits (`constructor`, `toString`, `hasOwnProperty`, ...): as a key of a
 * plain object such a code would read an inherited member instead of data, so no unit may carry one.
 */
export const RESERVED_KEYS: readonly string[] = Object.getOwnPropertyNames(Object.prototype);
const reservedAlternatives = RESERVED_KEYS.filter((k) => /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(k)).join('|');

/** Unit codes end up in stream ids, URLs and object keys, so they stay short, ASCII and never inherited. */
export const UNIT_CODE_PATTERN = new RegExp(
  `^(?!(?:${reservedAlternatives})$)[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`,
);

/** A record's own entry only: never what every object inherits (a hostile key reads `undefined`). */
export const ownEntry = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
/** The province itself is the root of the unit tree, never a plan row or a school. */
export const PROVINCE_CODE = 'province';
/** The rule in words, for every refusal of a code. */
export const UNIT_CODE_RULE =
  '单位代码须为 1 到 32 位字母、数字、“-”或“_”，不能是 province，也不能是 constructor、toString 等保留字';

export const isFigure = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_FIGURE;

export const isBlank = (v: unknown): boolean => typeof v !== 'string' || v.trim() === '';

export const invalid = (detail: string, errors?: FieldError[]): DomainError =>
  new DomainError('VALIDATION_FAILED', detail, errors);

export const MAX_FIGURE_TEXT = String(MAX_FIGURE);

const figureMessage = (m: Metric) => `“${METRIC_LABELS[m]}”必须是 0 到 ${MAX_FIGURE} 的整数`;

/**
 * Copies exactly the four metrics out of untrusted input, so no stray field reaches an event,
 * and refuses anything that is not a figure.
 */
export function requireFigures(input: unknown, field = 'figures'): Figures {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: FieldError[] = METRICS.filter((m) => !isFigure(source[m])).map((m) => ({
    field: `${field}.${m}`,
    code: 'INVALID_FIGURE',
    message: figureMessage(m),
  }));
  if (errors.length > 0) throw invalid('填报数据不符合要求', errors);
  return {
    training: source.training as number,
    certified: source.certified as number,
    advanced: source.advanced as number,
    onePlusX: source.onePlusX as number,
  };
}

/** A quota value is a figure or null (not assigned); undefined is refused so a typo never reads as "—". */
export const isQuotaValue = (v: unknown): v is number | null => v === null || isFigure(v);

export function requireQuota(input: unknown, field = 'quota'): Quota {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: FieldError[] = METRICS.filter((m) => !isQuotaValue(source[m])).map((m) => ({
    field: `${field}.${m}`,
    code: 'INVALID_FIGURE',
    message: `${figureMessage(m)}，未分配时为 null`,
  }));
  if (errors.length > 0) throw invalid('任务数不符合要求', errors);
  return {
    training: source.training as number | null,
    certified: source.certified as number | null,
    advanced: source.advanced as number | null,
    onePlusX: source.onePlusX as number | null,
  };
}

/** Equal metric by metric (figures, quotas or shares alike). */
export function sameFigures<T extends Partial<Record<Metric, number | null>>>(a: T, b: T): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof T>;
  return [...keys].every((k) => a[k] === b[k]);
}

/** advanced is a subset of certified; a rule only where both are known. */
export const advancedExceedsCertified = (f: Record<Metric, number | null>): boolean =>
  f.advanced !== null && f.certified !== null && f.advanced > f.certified;

/**
 * Parses an ISO instant that carries its offset and returns it in one canonical UTC spelling,
 * so events compare as strings and never depend on the server's zone.
 */
export function requireInstant(value: unknown, field: string): string {
  const ok =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value));
  if (!ok) {
    throw invalid(`${field} 必须是带时区的 ISO-8601 时刻`, [
      { field, code: 'INVALID_INSTANT', message: '必须是带时区的 ISO-8601 时刻' },
    ]);
  }
  return new Date(Date.parse(value)).toISOString();
}

/** Trimmed, non-blank, bounded text; the label names the field in the message. */
export function requireText(value: unknown, field: string, label: string, max: number): string {
  if (isBlank(value))
    throw invalid(`${label}不能为空`, [{ field, code: 'REQUIRED', message: `${label}不能为空` }]);
  const text = (value as string).trim();
  if ([...text].length > max) {
    throw invalid(`${label}不能超过 ${max} 个字符`, [
      { field, code: 'TOO_LONG', message: `${label}不能超过 ${max} 个字符` },
    ]);
  }
  return text;
}

export function requireReason(value: unknown, max = 500): string {
  if (isBlank(value)) throw new DomainError('REASON_REQUIRED', '请填写原因');
  return requireText(value, 'reason', '原因', max);
}

export function requireUnitCode(value: unknown, field = 'code'): string {
  if (typeof value !== 'string' || !UNIT_CODE_PATTERN.test(value) || value === PROVINCE_CODE) {
    throw invalid('单位代码不符合要求', [
      {
        field,
        code: 'INVALID_CODE',
        message: UNIT_CODE_RULE,
      },
    ]);
  }
  return value;
}
