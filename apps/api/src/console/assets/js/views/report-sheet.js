// @ts-check
// The monthly form laid out like Annex 2 (月报表): annual task, this month, cumulative, rate per metric.
// Editable or read-only; when editable, cumulative and rate follow the figures as they are typed.
import { describedBy, h, setHint } from '../dom.js';
import {
  byMetric,
  dueBy,
  METRIC_LABELS,
  METRICS,
  num,
  parseFigure,
  pct,
  periodLabel,
  rateOf,
  STATUS,
  TIMELINESS,
  when,
} from '../format.js';
import { copySchoolsSum, hasSchoolsSum, schoolsSumCell, schoolsSumHeading } from './schools-sum.js';

/** @typedef {import('../types.js').Metric} Metric */
/** @typedef {import('../types.js').Figures} Figures */
/** @typedef {import('../types.js').Report} Report */
/** @typedef {import('../dom.js').Hinted} Hinted */
/** @typedef {import('../dom.js').Kind} Kind */
/**
 * What the inputs hold: a figure per metric (null where the text is no figure), and the refusals.
 * @typedef {{ figures: Record<Metric, number | null>, errors: Record<string, string> }} Reading
 */
/**
 * @typedef {object} Sheet
 * @property {HTMLElement} el
 * @property {Record<Metric, Hinted>} fields each metric's input (a span when read-only) and hint line
 * @property {() => Reading} read
 * @property {() => void} refresh recomputes cumulative, rate and hints from the inputs
 */
/**
 * One metric's row and the cells that follow the typing.
 * @typedef {object} MetricRow
 * @property {HTMLTableRowElement} tr
 * @property {Hinted} field
 * @property {HTMLElement} cum
 * @property {HTMLElement} rate
 * @property {ReturnType<typeof schoolsSumCell> | null} schools
 */
/**
 * @typedef {object} SheetOptions
 * @property {boolean} [editable]
 * @property {Figures | null} [initial] figures to start the inputs with (defaults to the report's)
 * @property {() => void} [onInput] called as the figures are typed
 */

export const FORM_TITLE = '河南省教育系统“人人持证、技能河南”建设工作任务进度月报表';

/**
 * Which server warnings are about one field, so they show next to it as well as in the list.
 * @type {Record<string, Metric>}
 */
const WARNING_FIELD = { ONE_PLUS_X_EXCEEDS_CERTIFIED: 'onePlusX' };

/**
 * `report`: the API's report body. Returns { el, fields, read(), refresh() } where read() gives
 * { figures, errors } from the inputs.
 * @param {Report} report
 * @param {SheetOptions} [options]
 * @returns {Sheet}
 */
export function reportSheet(report, { editable = false, initial, onInput } = {}) {
  const start = initial ?? report.figures;
  const regional = hasSchoolsSum(report);
  const typed = () => {
    refresh();
    onInput?.();
  };
  const rows = byMetric((m) => metricRow(report, m, { editable, start, regional, typed }));
  const fields = byMetric((m) => rows[m].field);
  const read = () => readFigures(fields, editable, start);
  const refresh = () => refreshSheet(report, rows, { editable, start, read });
  const el = h(
    'section',
    { class: 'form-sheet', 'aria-label': '月报表' },
    h('h2', { class: 'form-title' }, FORM_TITLE),
    formMeta(report),
    sheetTable(
      METRICS.map((m) => rows[m].tr),
      regional,
    ),
    regional && editable
      ? copySchoolsSum(
          report,
          byMetric((m) => fields[m].input),
          typed,
        )
      : null,
    sheetNotes(report),
    signatureLines(report),
  );
  refresh();
  return { el, fields, read, refresh };
}

/**
 * @param {Report} report
 * @param {Metric} m
 * @param {{ editable: boolean, start: Figures | null | undefined, regional: boolean, typed: () => void }} options
 * @returns {MetricRow}
 */
function metricRow(report, m, { editable, start, regional, typed }) {
  // data-label: on a phone each row is a card, and each cell carries its column's heading (phone.css).
  const cum = h('td', { class: 'num', 'data-label': '累计已完成', dataset: { cumulative: m } });
  const rate = h('td', { class: 'num', 'data-label': '累计完成率', dataset: { rate: m } });
  const schools = regional ? schoolsSumCell(report, m) : null;
  const { cell, field } = editable ? inputCell(m, start, typed) : figureCell(m, start);
  const tr = h(
    'tr',
    {},
    h('td', { class: 'metric' }, METRIC_LABELS[m]),
    h('td', { class: 'num annual', 'data-label': '年度任务' }, num(report.annual?.[m] ?? null)),
    cell,
    cum,
    rate,
    schools,
  );
  return { tr, field, cum, rate, schools };
}

/**
 * This month's figure as an input that reformats itself (1200 → 1,200) when left.
 * @param {Metric} m
 * @param {Figures | null | undefined} start
 * @param {() => void} typed
 */
function inputCell(m, start, typed) {
  const input = h('input', {
    class: 'figure',
    name: m,
    inputmode: 'numeric',
    autocomplete: 'off',
    value: start ? num(start[m]) : '',
    placeholder: '0',
    'aria-label': `${METRIC_LABELS[m]}：当月完成`,
  });
  const hint = describedBy(input);
  const cell = h('td', { class: 'num month', 'data-label': '当月完成' }, input, hint);
  input.addEventListener('input', typed);
  input.addEventListener('blur', () => {
    const { value } = parseFigure(input.value);
    if (value !== null) input.value = num(value);
  });
  return { cell, field: { input, hint } };
}

/**
 * This month's figure as text, with a hint line for the server's warning about it.
 * @param {Metric} m
 * @param {Figures | null | undefined} start
 */
function figureCell(m, start) {
  const hint = h('div', { class: 'hint' });
  const cell = h(
    'td',
    { class: 'num month', 'data-label': '当月完成', dataset: { month: m } },
    num(start?.[m] ?? null),
    hint,
  );
  return { cell, field: { input: h('span'), hint } };
}

/**
 * @param {Record<Metric, Hinted>} fields
 * @param {boolean} editable
 * @param {Figures | null | undefined} start
 * @returns {Reading}
 */
function readFigures(fields, editable, start) {
  /** @type {Record<string, string>} */
  const errors = {};
  const figures = byMetric((m) => {
    const input = fields[m].input;
    if (!editable || !(input instanceof HTMLInputElement)) return start?.[m] ?? 0;
    const parsed = parseFigure(input.value);
    if (parsed.error) errors[m] = parsed.error;
    return parsed.value;
  });
  return { figures, errors };
}

/**
 * @param {Report} report
 * @param {Record<Metric, MetricRow>} rows
 * @param {{ editable: boolean, start: Figures | null | undefined, read: () => Reading }} sheet
 */
function refreshSheet(report, rows, { editable, start, read }) {
  const { figures, errors } = read();
  for (const m of METRICS) {
    const month = figures[m] ?? 0;
    const cumulative = (report.cumulative?.[m] ?? 0) - (report.figures?.[m] ?? 0) + month;
    rows[m].cum.textContent = num(cumulative);
    rows[m].rate.textContent = pct(rateOf(cumulative, report.annual?.[m] ?? null));
    // A read-only form with nothing entered has no figure to compare with the schools' sum.
    rows[m].schools?.compare(editable || start ? figures[m] : null);
    /** @type {[Kind, string]} */
    const advice = errors[m]
      ? ['error', errors[m]]
      : adviceFor(m, figures, cumulative, report.annual?.[m] ?? null);
    if (editable || advice[1]) setHint(rows[m].field, ...advice);
  }
  if (!editable) {
    for (const w of report.warnings ?? []) {
      const m = WARNING_FIELD[w.code];
      if (m) setHint(rows[m].field, 'warn', w.message);
    }
  }
}

/**
 * @param {HTMLTableRowElement[]} rows
 * @param {boolean} regional whether a column shows the schools' sums
 */
function sheetTable(rows, regional) {
  return h(
    'table',
    { class: 'annex2' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '项目'),
        h('th', { class: 'num' }, '年度任务'),
        h('th', { class: 'num' }, '当月完成'),
        h('th', { class: 'num' }, '累计已完成'),
        h('th', { class: 'num' }, '累计完成率'),
        regional ? schoolsSumHeading() : null,
      ),
    ),
    h('tbody', {}, rows),
  );
}

/**
 * The line above the table: unit, month, status, revision and deadline.
 * @param {Report} report
 */
function formMeta(report) {
  return h(
    'div',
    { class: 'form-meta' },
    h('span', {}, `填报单位（公章）：${report.unitName ?? report.unitCode}`),
    h('span', {}, `报表月份：${periodLabel(report.period)}`),
    h(
      'span',
      {},
      '状态：',
      h(
        'span',
        { class: `badge ${report.status}`, 'data-testid': 'status' },
        STATUS[report.status] ?? report.status,
      ),
    ),
    h('span', { class: 'no-print' }, `第 ${Math.max(1, report.revision ?? 1)} 版`),
    h(
      'span',
      { class: 'no-print' },
      `截止：${dueBy(report.deadline)}（`,
      h('span', { class: `badge ${report.timeliness}` }, TIMELINESS[report.timeliness] ?? report.timeliness),
      '）',
    ),
  );
}

/**
 * Beneath the table: which revision is official while another is under way, and the notice's notes.
 * @param {Report} report
 */
function sheetNotes(report) {
  return [
    report.official && report.status !== 'accepted'
      ? h(
          'p',
          { class: 'muted no-print' },
          `当前有效（已审核通过）的是第 ${report.official.revision} 版，通过时间 ${when(report.official.acceptedAt)}；本页显示的是正在办理的第 ${report.revision} 版。`,
        )
      : null,
    h(
      'p',
      { class: 'print-only muted' },
      '说明 1. 培训包括本单位开展的补贴性、非补贴性、面向校内校外的各类职业培训，任务完成情况数据应与本单位“河南省技能人才管理服务系统平台”中填报的数据保持一致。',
    ),
    h(
      'p',
      { class: 'print-only muted' },
      '说明 2. 取得《国家职业资格目录（2021年版）》中所列职业资格证书的数量可计入“取证人数”，但没有技能等级的不可计入“高级工及以上”。',
    ),
  ];
}

/**
 * Mirrors the API's rules, so the filler sees the problem while typing rather than after saving.
 * @param {Metric} m
 * @param {Record<Metric, number | null>} figures
 * @param {number} cumulative
 * @param {number | null} annual
 * @returns {[Kind, string]}
 */
function adviceFor(m, figures, cumulative, annual) {
  const { advanced, certified, onePlusX } = figures;
  if (m === 'advanced' && advanced !== null && certified !== null && advanced > certified) {
    return ['error', `“其中高级工及以上”（${num(advanced)}）不能大于“取证人数”（${num(certified)}）`];
  }
  if (m === 'onePlusX' && onePlusX !== null && certified !== null && onePlusX > certified) {
    return ['warn', '1+X 证书取证人数大于取证人数：可以提交，但请在备注中说明原因'];
  }
  const figure = figures[m];
  if (annual !== null && figure !== null && figure * 2 > annual) {
    return ['warn', `本月数超过年度任务（${num(annual)}）的一半，请核实`];
  }
  if (annual !== null && cumulative * 2 > annual * 3) {
    return ['warn', '累计数超过年度任务的 150%，请核实'];
  }
  return ['', ''];
}

/** @param {Report} report */
function signatureLines(report) {
  const filler = report.signatures?.filler;
  const leader = report.signatures?.leader;
  return h(
    'div',
    { class: 'signatures' },
    h(
      'div',
      {},
      '填报单位领导小组组长（签字）：',
      h('b', { 'data-testid': 'leader-signature' }, leader?.name ?? '_____'),
      leader ? `（${when(leader.signedAt)}）` : '',
    ),
    h(
      'div',
      {},
      '填报人（签字）：',
      h('b', { 'data-testid': 'filler-signature' }, filler?.name ?? '_____'),
      '　联系电话：',
      filler?.phone ?? '_____',
      filler ? `（${when(filler.signedAt)}）` : '',
    ),
  );
}
