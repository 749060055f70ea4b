// The monthly form laid out like Annex 2 (月报表): annual task, this month, cumulative, rate per metric.
// Editable or read-only; when editable, cumulative and rate follow the figures as they are typed.
import { describedBy, h, setHint } from '../dom.js';
import {
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

export const FORM_TITLE = '河南省教育系统“人人持证、技能河南”建设工作任务进度月报表';

/** Which server warnings are about one field, so they show next to it as well as in the list. */
const WARNING_FIELD = { ONE_PLUS_X_EXCEEDS_CERTIFIED: 'onePlusX' };

/**
 * `report`: the API's report body. `initial`: figures to start the inputs with (defaults to the report's).
 * Returns { el, fields, read() } where read() gives { figures, errors } from the inputs.
 */
export function reportSheet(report, { editable = false, initial, onInput } = {}) {
  const start = initial ?? report.figures;
  const earlier = {};
  for (const m of METRICS) earlier[m] = (report.cumulative?.[m] ?? 0) - (report.figures?.[m] ?? 0);
  const fields = {};
  const live = {};
  const regional = hasSchoolsSum(report);
  const rows = METRICS.map((m) => {
    // data-label: on a phone each row is a card, and each cell carries its column's heading (phone.css).
    const cum = h('td', { class: 'num', 'data-label': '累计已完成', dataset: { cumulative: m } });
    const rate = h('td', { class: 'num', 'data-label': '累计完成率', dataset: { rate: m } });
    const schools = regional ? schoolsSumCell(report, m) : null;
    live[m] = { cum, rate, schools };
    let monthCell;
    if (editable) {
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
      fields[m] = { input, hint };
      monthCell = h('td', { class: 'num month', 'data-label': '当月完成' }, input, hint);
      input.addEventListener('input', () => {
        refresh();
        onInput?.();
      });
      input.addEventListener('blur', () => {
        const { value } = parseFigure(input.value);
        if (value !== null) input.value = num(value);
      });
    } else {
      const hint = h('div', { class: 'hint' });
      fields[m] = { input: h('span'), hint };
      monthCell = h(
        'td',
        { class: 'num month', 'data-label': '当月完成', dataset: { month: m } },
        num(start?.[m] ?? null),
        hint,
      );
    }
    return h(
      'tr',
      {},
      h('td', { class: 'metric' }, METRIC_LABELS[m]),
      h('td', { class: 'num annual', 'data-label': '年度任务' }, num(report.annual?.[m] ?? null)),
      monthCell,
      cum,
      rate,
      schools,
    );
  });

  const read = () => {
    const figures = {};
    const errors = {};
    for (const m of METRICS) {
      if (!editable) {
        figures[m] = start?.[m] ?? 0;
        continue;
      }
      const parsed = parseFigure(fields[m].input.value);
      figures[m] = parsed.value;
      if (parsed.error) errors[m] = parsed.error;
    }
    return { figures, errors };
  };

  function refresh() {
    const { figures, errors } = read();
    for (const m of METRICS) {
      const month = figures[m] ?? 0;
      const cumulative = earlier[m] + month;
      live[m].cum.textContent = num(cumulative);
      live[m].rate.textContent = pct(rateOf(cumulative, report.annual?.[m] ?? null));
      // A read-only form with nothing entered has no figure to compare with the schools' sum.
      live[m].schools?.compare(editable || start ? figures[m] : null);
      const advice = errors[m]
        ? ['error', errors[m]]
        : adviceFor(m, figures, cumulative, report.annual?.[m] ?? null);
      if (editable || advice[1]) setHint(fields[m], ...advice);
    }
    if (!editable) {
      for (const w of report.warnings ?? []) {
        const m = WARNING_FIELD[w.code];
        if (m) setHint(fields[m], 'warn', w.message);
      }
    }
  }

  const table = h(
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
  const el = h(
    'section',
    { class: 'form-sheet', 'aria-label': '月报表' },
    h('h2', { class: 'form-title' }, FORM_TITLE),
    h(
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
        h(
          'span',
          { class: `badge ${report.timeliness}` },
          TIMELINESS[report.timeliness] ?? report.timeliness,
        ),
        '）',
      ),
    ),
    table,
    regional && editable
      ? copySchoolsSum(
          report,
          Object.fromEntries(METRICS.map((m) => [m, fields[m].input])),
          () => (refresh(), onInput?.()),
        )
      : null,
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
    signatureLines(report),
  );
  refresh();
  return { el, fields, read, refresh };
}

/** Mirrors the API's rules, so the filler sees the problem while typing rather than after saving. */
function adviceFor(m, figures, cumulative, annual) {
  if (
    m === 'advanced' &&
    figures.advanced !== null &&
    figures.certified !== null &&
    figures.advanced > figures.certified
  ) {
    return [
      'error',
      `“其中高级工及以上”（${num(figures.advanced)}）不能大于“取证人数”（${num(figures.certified)}）`,
    ];
  }
  if (
    m === 'onePlusX' &&
    figures.onePlusX !== null &&
    figures.certified !== null &&
    figures.onePlusX > figures.certified
  ) {
    return ['warn', '1+X 证书取证人数大于取证人数：可以提交，但请在备注中说明原因'];
  }
  if (annual !== null && figures[m] !== null && figures[m] * 2 > annual) {
    return ['warn', `本月数超过年度任务（${num(annual)}）的一半，请核实`];
  }
  if (annual !== null && cumulative * 2 > annual * 3) {
    return ['warn', '累计数超过年度任务的 150%，请核实'];
  }
  return ['', ''];
}

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
