// @ts-check
// Review of submitted reports: a region's bureau for its schools, the province for the units reporting to it.
import { bindAction, localError } from '../actions.js';
import { api } from '../api.js';
import { field, h, messageOf, mount, noticeBox, option, say } from '../dom.js';
import { KINDS, openPeriods, periodLabel, STATUS, TIMELINESS, when } from '../format.js';
import { reportPath } from './months.js';
import { warningList } from './report-notes.js';
import { reportSheet } from './report-sheet.js';
import { scanCard } from './scan.js';

/** @typedef {import('../types.js').Report} Report */
/** @typedef {import('../types.js').ProgressRow} ProgressRow */
/** @typedef {import('../types.js').ViewContext} ViewContext */
/**
 * @typedef {object} ReviewPage
 * @property {ViewContext} ctx
 * @property {string | null} region the operator's region, or null for the province
 * @property {string} period
 * @property {boolean} onlyWaiting whether the list shows only submitted reports
 * @property {HTMLElement} notice
 * @property {HTMLElement} body
 * @property {() => Promise<void>} reload
 */

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const periods = openPeriods(ctx.year, ctx.context);
  const chosen = ctx.params.period;
  /** @type {ReviewPage} */
  const page = {
    ctx,
    region: ctx.me.role === 'region-operator' ? ctx.me.unitCode : null,
    period: chosen && periods.includes(chosen) ? chosen : periods[periods.length - 1],
    onlyWaiting: ctx.params.all !== '1',
    notice: noticeBox(),
    body: h('div'),
    reload: () => drawList(page),
  };
  mount(
    root,
    h('h1', {}, page.region ? `${ctx.unit.name} · 所属学校月报审核` : '月报审核（直报省级的单位）'),
    listFilters(page, periods),
    page.notice,
    page.body,
  );
  try {
    await page.reload();
  } catch (error) {
    say(page.notice, 'error', messageOf(error));
  }
}

/**
 * The month, and whether to list only what waits for review.
 * @param {ReviewPage} page
 * @param {string[]} periods
 */
function listFilters({ ctx, period, onlyWaiting }, periods) {
  const periodSelect = h(
    'select',
    { name: 'period' },
    periods.map((p) => option(p, periodLabel(p), p === period)),
  );
  periodSelect.addEventListener('change', () => ctx.go({ period: periodSelect.value, all: ctx.params.all }));
  const waitingOnly = h('input', { type: 'checkbox', checked: onlyWaiting });
  waitingOnly.addEventListener('change', () => ctx.go({ period, all: waitingOnly.checked ? '' : '1' }));
  return h(
    'div',
    { class: 'row no-print', style: 'margin-bottom:10px' },
    field('月份', periodSelect),
    h('label', {}, waitingOnly, ' 只看待审核'),
  );
}

/** @param {ReviewPage} page */
async function drawList(page) {
  const { ctx, region, period, onlyWaiting } = page;
  const query = new URLSearchParams({ period, ...(region ? { region } : {}) });
  /** @type {import('../types.js').Progress} */
  const data = await api.read(`/api/v1/plans/${ctx.year}/progress?${query}`);
  const rows = data.units.filter((u) => !onlyWaiting || u.status === 'submitted');
  const list = reviewList(page, rows);
  const detail = ctx.params.unit ? await reviewPanel(page, ctx.params.unit) : null;
  mount(
    page.body,
    h(
      'div',
      { class: 'cols', style: 'grid-template-columns: 420px 1fr' },
      h('div', { class: 'no-print' }, list),
      detail ?? h('p', { class: 'muted' }, '请在左侧选择单位。'),
    ),
  );
}

/**
 * @param {ReviewPage} page
 * @param {ProgressRow[]} rows
 */
function reviewList(page, rows) {
  const { ctx, period, onlyWaiting } = page;
  /** @param {ProgressRow} u */
  const open = (u) =>
    h(
      'button',
      {
        class: 'link',
        type: 'button',
        on: { click: () => ctx.go({ period, unit: u.code, all: ctx.params.all }) },
      },
      u.status === 'submitted' ? '审核' : '查看',
    );
  return h(
    'table',
    { 'data-testid': 'review-list' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['单位', '类型', '状态', '首次提交', '及时性', ''].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length === 0
        ? h(
            'tr',
            {},
            h('td', { colspan: 6, class: 'muted' }, onlyWaiting ? '本月没有待审核的月报。' : '没有单位。'),
          )
        : rows.map((u) =>
            h(
              'tr',
              { class: u.code === ctx.params.unit ? 'total' : '' },
              h('td', {}, u.name),
              h('td', {}, KINDS[u.kind] ?? u.kind),
              h('td', {}, h('span', { class: `badge ${u.status}` }, STATUS[u.status])),
              h('td', {}, when(u.submittedAt)),
              h('td', {}, h('span', { class: `badge ${u.timeliness}` }, TIMELINESS[u.timeliness])),
              h('td', {}, open(u)),
            ),
          ),
    ),
  );
}

/**
 * One unit's report: the form beside its sealed scan, then accept or return while it is submitted.
 * @param {ReviewPage} page
 * @param {string} code
 */
async function reviewPanel(page, code) {
  const { ctx, period, notice } = page;
  /** @type {import('../api.js').Answer<Report>} */
  const { data: report, etag } = await api.get(reportPath(code, period));
  const parts = [
    h(
      'div',
      { class: 'cols scan-beside' },
      reportSheet(report).el,
      scanCard(report, reportPath(code, period), { notice, scan: report.scan ?? report.official?.scan }),
    ),
    warningList(report),
    ...reviewNotes(report),
  ];
  if (report.status !== 'submitted' || ctx.closed) {
    const why =
      report.status === 'submitted'
        ? '本年度已关闭，不能审核。'
        : `当前状态为“${STATUS[report.status]}”，只有已提交的月报可以审核。`;
    parts.push(h('p', { class: 'notice info' }, why));
    return h('div', {}, parts);
  }
  parts.push(decisionCard(page, report, etag, `${reportPath(code, period)}/review`));
  return h('div', {}, parts);
}

/**
 * An earlier return, and a region's schools' accepted sums.
 * @param {Report} report
 */
function reviewNotes(report) {
  const notes = [];
  if (report.returnReason)
    notes.push(
      h('p', { class: 'notice warn' }, `已于 ${when(report.returnedAt)} 退回：${report.returnReason}`),
    );
  if (report.schoolsSum) {
    notes.push(
      h(
        'p',
        { class: 'muted' },
        `所属学校本月已审核数合计：培训 ${report.schoolsSum.training.toLocaleString('zh-CN')} 人次，取证 ${report.schoolsSum.certified.toLocaleString('zh-CN')} 人。`,
      ),
    );
  }
  return notes;
}

/**
 * 审核: an opinion (needed to return), accept or return.
 * @param {ReviewPage} page
 * @param {Report} report
 * @param {string | null} etag
 * @param {string} path the report's review path
 */
function decisionCard(page, report, etag, path) {
  const reason = h('textarea', { name: 'reason', placeholder: '退回时必须写明原因；通过时可不填' });
  const fields = { reason: field('审核意见', reason) };
  /**
   * @param {'accept' | 'return'} decision
   * @param {string} label
   */
  const decide = (decision, label) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: decision === 'accept' ? 'primary' : 'danger',
        'data-testid': `review-${decision}`,
      },
      label,
    );
    return bindAction(button, {
      notice: page.notice,
      fields,
      reload: page.reload,
      run: async (keyFor) => {
        const text = reason.value.trim();
        if (decision === 'return' && !text)
          throw localError('退回必须写明原因', { reason: '请填写退回原因，填报单位会看到它' });
        const payload = { decision, ...(text ? { reason: text } : {}) };
        await api.post(path, payload, { etag, key: keyFor(payload) });
        await page.reload();
        return decision === 'accept'
          ? `已通过 ${report.unitName} 的月报，数字已成为正式数。`
          : `已退回 ${report.unitName} 的月报。`;
      },
    });
  };
  return h(
    'div',
    { class: 'card no-print' },
    h('h2', {}, '审核'),
    fields.reason,
    h('div', { class: 'row' }, decide('accept', '通过'), decide('return', '退回')),
  );
}
