// @ts-check
// The leading-group head's page: what waits for a signature, its figures and warnings, sign or refuse.
import { bindAction } from '../actions.js';
import { api } from '../api.js';
import { field, h, messageOf, mount, noticeBox, say } from '../dom.js';
import { periodLabel, when } from '../format.js';
import { isPlanned, loadMonths, monthTable, reportPath } from './months.js';
import { warningList } from './report-notes.js';
import { reportSheet } from './report-sheet.js';

/** @typedef {import('../types.js').Report} Report */
/** @typedef {import('../types.js').PlannedMonth} PlannedMonth */
/** @typedef {import('../types.js').ViewContext} ViewContext */
/**
 * @typedef {object} LeaderPage
 * @property {ViewContext} ctx
 * @property {string} unit
 * @property {HTMLElement} notice
 * @property {HTMLElement} body
 * @property {() => Promise<void>} reload
 */

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const notice = noticeBox();
  const body = h('div');
  mount(root, h('h1', {}, `${ctx.unit.name} · 领导小组组长签字`), notice, body);
  /** @type {LeaderPage} */
  const page = { ctx, unit: ctx.me.unitCode, notice, body, reload: () => drawYear(page) };
  try {
    await page.reload();
  } catch (error) {
    say(notice, 'error', messageOf(error));
  }
}

/** @param {LeaderPage} page */
async function drawYear(page) {
  const { ctx, unit, body } = page;
  const months = (await loadMonths(unit, ctx.year, ctx.context)).filter(isPlanned);
  const waiting = months.filter((m) => m.status === 'signed-by-filler');
  const period = ctx.params.period ?? waiting[0]?.period ?? months[months.length - 1]?.period;
  if (!period) {
    mount(body, h('p', { class: 'notice warn' }, `${ctx.year} 年度计划尚未发布，或本单位不在计划中。`));
    return;
  }
  /** @type {import('../api.js').Answer<Report>} */
  const res = await api.get(reportPath(unit, period));
  mount(
    body,
    h(
      'div',
      { class: 'cols', style: 'grid-template-columns: 300px 1fr' },
      h(
        'div',
        { class: 'no-print' },
        waitingCard(page, waiting),
        h(
          'div',
          { class: 'card' },
          h('h2', {}, '本年度各月'),
          monthTable(months, period, (p) => ctx.go({ period: p })),
        ),
      ),
      panel(page, res.data, res.etag),
    ),
  );
}

/**
 * The months the filler signed and the leader has not.
 * @param {LeaderPage} page
 * @param {PlannedMonth[]} waiting
 */
function waitingCard(page, waiting) {
  return h(
    'div',
    { class: 'card', 'data-testid': 'waiting' },
    h('h2', {}, '等待您签字'),
    waiting.length === 0
      ? h('p', { class: 'muted' }, '目前没有等待您签字的月报。')
      : h(
          'ul',
          {},
          waiting.map((m) =>
            h(
              'li',
              {},
              h(
                'button',
                { class: 'link', type: 'button', on: { click: () => page.ctx.go({ period: m.period }) } },
                `${periodLabel(m.period)}（填报人 ${m.signatures?.filler?.name ?? ''}）`,
              ),
            ),
          ),
        ),
  );
}

/**
 * @param {LeaderPage} page
 * @param {Report} report
 * @param {string | null} etag
 */
function panel(page, report, etag) {
  const parts = [reportSheet(report).el, warningList(report)];
  if (report.status !== 'signed-by-filler' || page.ctx.closed) {
    const why = {
      'not-started': '本月尚未填报。',
      draft: '填报人尚未签字，暂不能签字。',
      'signed-by-filler': '本年度已关闭，不能签字。',
      submitted: `已于 ${when(report.submittedAt)} 提交审核。`,
      accepted: '已审核通过。',
    }[report.status];
    parts.push(h('p', { class: 'notice info' }, why ?? ''));
    return h('div', {}, parts);
  }
  parts.push(signCard(page, report, etag));
  return h('div', {}, parts);
}

/**
 * Sign and submit, or refuse with a reason: the report then goes back to the filler, whose signature is void.
 * @param {LeaderPage} page
 * @param {Report} report
 * @param {string | null} etag
 */
function signCard(page, report, etag) {
  const { notice, reload } = page;
  const name = h('input', { name: 'name', autocomplete: 'name' });
  const reason = h('input', { name: 'reason', placeholder: '请写明不同意的原因' });
  const fields = { name: field('组长姓名', name), reason: field('不同意的原因', reason) };
  const path = reportPath(page.unit, report.period);
  const sign = h(
    'button',
    { class: 'primary', type: 'button', 'data-testid': 'leader-sign' },
    '同意并签字提交',
  );
  bindAction(sign, {
    notice,
    fields,
    reload,
    run: async (keyFor) => {
      const payload = { name: name.value.trim() };
      await api.post(`${path}/signatures`, payload, { etag, key: keyFor(payload) });
      await reload();
      return '已签字，月报已提交审核。';
    },
  });
  const refuse = h(
    'button',
    { type: 'button', class: 'danger', 'data-testid': 'leader-refuse' },
    '不同意签字',
  );
  bindAction(refuse, {
    notice,
    fields,
    reload,
    run: async (keyFor) => {
      const payload = { name: name.value.trim(), reason: reason.value.trim() };
      await api.post(`${path}/signatures/refusals`, payload, { etag, key: keyFor(payload) });
      await reload();
      return '已退回填报人修改，原签字作废。';
    },
  });
  return h(
    'div',
    { class: 'card no-print' },
    h('h2', {}, '领导小组组长签字'),
    h('p', { class: 'muted' }, '请核对上表数字和提示信息。签字后月报即提交审核，不能再修改。'),
    h('div', { class: 'row' }, fields.name, sign),
    h('div', { class: 'row' }, fields.reason, refuse),
  );
}
