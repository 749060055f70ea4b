// @ts-check
// Chinese labels and number formats shared by every view. "—" always means "not assigned", never 0.

/** @typedef {import('./types.js').Metric} Metric */
/** @typedef {import('./types.js').ConsoleContext} ConsoleContext */

/** @type {Metric[]} */
export const METRICS = ['training', 'certified', 'advanced', 'onePlusX'];

/**
 * A value per metric, made in METRICS order.
 * @template T
 * @param {(metric: Metric) => T} make
 * @returns {Record<Metric, T>}
 */
export const byMetric = (make) => ({
  training: make('training'),
  certified: make('certified'),
  advanced: make('advanced'),
  onePlusX: make('onePlusX'),
});

/** @type {import('./types.js').SplitMetric[]} */
export const SPLIT = ['training', 'certified', 'onePlusX'];

/**
 * A value per metric a region splits among its schools, made in SPLIT order.
 * @template T
 * @param {(metric: import('./types.js').SplitMetric) => T} make
 * @returns {Record<import('./types.js').SplitMetric, T>}
 */
export const bySplit = (make) => ({
  training: make('training'),
  certified: make('certified'),
  onePlusX: make('onePlusX'),
});

/** @type {Record<Metric, string>} */
export const METRIC_LABELS = {
  training: '培训任务（人次）',
  certified: '取证人数（人）',
  advanced: '其中：高级工及以上（人）',
  onePlusX: '1+X 证书取证人数（人）',
};

/** @type {Record<Metric, string>} */
export const SHORT_METRIC = {
  training: '培训人次',
  certified: '取证人数',
  advanced: '高级工及以上',
  onePlusX: '1+X 证书',
};

/** @type {Record<import('./types.js').ReportStatus, string>} */
export const STATUS = {
  'not-started': '未填报',
  draft: '草稿',
  'signed-by-filler': '填报人已签字',
  submitted: '已提交待审核',
  accepted: '已审核通过',
};

/** @type {Record<import('./types.js').Timeliness, string>} */
export const TIMELINESS = {
  pending: '未到期',
  'on-time': '按时',
  late: '逾期',
  missing: '未报',
  'not-owed': '不需报送',
};

/** @type {Record<import('./types.js').UnitKind, string>} */
export const KINDS = {
  region: '省辖市（示范区）',
  undergraduate: '本科高校',
  'higher-vocational': '高职院校',
  'provincial-secondary': '省属中职学校',
  'city-secondary': '市属中职学校',
};

/** @type {Record<import('./types.js').Role, string>} */
export const ROLES = {
  'province-admin': '省级管理员',
  auditor: '审计人员',
  'region-operator': '地区经办人',
  filler: '填报人',
  leader: '领导小组组长',
};

const grouping = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** @param {number | null | undefined} n */
export const num = (n) => (n === null || n === undefined ? '—' : grouping.format(n));

/** @param {number | null | undefined} r */
export const pct = (r) => (r === null || r === undefined || !Number.isFinite(r) ? '—' : `${r.toFixed(1)}%`);

/**
 * The API's rule: percent with one decimal; null where no task is assigned.
 * @param {number} cumulative
 * @param {number | null | undefined} annual
 */
export function rateOf(cumulative, annual) {
  if (annual === null || annual === undefined || annual <= 0) return null;
  return Math.round((cumulative * 1000) / annual) / 10;
}

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** @param {string | null | undefined} iso */
export const when = (iso) => (iso ? shanghai.format(new Date(iso)) : '—');

const shanghaiDay = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The API's deadline is the first late instant; people read "by the end of that day" more easily.
 * The same wording as the reminder e-mails and digests (deadlineWording in the domain): 6月30日（含）前.
 * @param {string | null | undefined} iso
 */
export const dueBy = (iso) => {
  if (!iso) return '—';
  const [, month, day] = shanghaiDay.format(new Date(Date.parse(iso) - 1)).match(/\d+/g) ?? [];
  return `${Number(month)}月${Number(day)}日（含）前`;
};

/** @param {string} period */
export const periodLabel = (period) => `${period.slice(0, 4)} 年 ${Number(period.slice(5, 7))} 月`;

/** @param {number} year */
export const periodsOf = (year) =>
  Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/**
 * Months the console offers: up to the server's current month in the current year, the whole year otherwise.
 * @param {number} year
 * @param {ConsoleContext} context
 */
export function openPeriods(year, context) {
  const all = periodsOf(year);
  return year === context.year ? all.filter((p) => p <= context.period) : all;
}

/**
 * Share of the year elapsed by the end of `period`: the even pace a cumulative rate is measured against.
 * @param {string} period
 */
export const paceOf = (period) => Math.round((Number(period.slice(5, 7)) / 12) * 1000) / 10;

/**
 * Parses what a person typed: digits with optional thousands separators.
 * @param {string} text
 * @returns {{ value: number, error: null } | { value: null, error: string }}
 */
export function parseFigure(text) {
  const clean = String(text).replace(/[,，\s]/g, '');
  if (clean === '') return { value: null, error: '请填写数字，没有就填 0' };
  if (!/^\d+$/.test(clean)) return { value: null, error: '只能填写不带小数的非负整数' };
  const value = Number(clean);
  if (value > 1_000_000_000) return { value: null, error: '数字不能超过 1,000,000,000' };
  return { value, error: null };
}
