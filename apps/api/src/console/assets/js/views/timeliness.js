// @ts-check
// Who is late this month: a region's schools (or the province's units), missing and late first.
import { api } from '../api.js';
import { field, h, messageOf, mount, noticeBox, option, say } from '../dom.js';
import { dueBy, openPeriods, periodLabel, TIMELINESS, when } from '../format.js';

/** @typedef {import('../types.js').TimelinessReport} TimelinessReport */
/** @typedef {import('../types.js').ViewContext} ViewContext */

/** @type {Record<import('../types.js').Timeliness, number>} */
const ORDER = { missing: 0, late: 1, pending: 2, 'on-time': 3, 'not-owed': 4 };

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const region = ctx.me.role === 'region-operator' ? ctx.me.unitCode : null;
  const periods = openPeriods(ctx.year, ctx.context);
  const chosen = ctx.params.period;
  const period = chosen && periods.includes(chosen) ? chosen : periods[periods.length - 1];
  const notice = noticeBox();
  const select = h(
    'select',
    {},
    periods.map((p) => option(p, periodLabel(p), p === period)),
  );
  select.addEventListener('change', () => ctx.go({ period: select.value }));
  const body = h('div');
  mount(
    root,
    h('h1', {}, `${region ? ctx.unit.name : '全省'} · ${periodLabel(period)}报送情况`),
    h('div', { class: 'row no-print' }, field('月份', select)),
    notice,
    body,
  );
  try {
    const query = new URLSearchParams({ period, ...(region ? { region } : {}) });
    /** @type {TimelinessReport} */
    const data = await api.read(`/api/v1/plans/${ctx.year}/timeliness?${query}`);
    mount(body, countsCard(data), unitsTable(data));
  } catch (error) {
    say(notice, 'error', messageOf(error));
  }
}

/**
 * The deadline and how many units are on time, late, missing, not yet due or not owing.
 * @param {TimelinessReport} data
 */
function countsCard(data) {
  return h(
    'div',
    { class: 'card summary', 'data-testid': 'timeliness-counts' },
    h('div', { class: 'stat' }, '截止时间', h('b', {}, dueBy(data.deadline))),
    h('div', { class: 'stat' }, '按时', h('b', {}, data.counts.onTime)),
    h('div', { class: 'stat' }, '逾期', h('b', { class: 'delta down' }, data.counts.late)),
    h('div', { class: 'stat' }, '未报', h('b', { class: 'delta down' }, data.counts.missing)),
    h('div', { class: 'stat' }, '未到期未报', h('b', {}, data.counts.pending)),
    h('div', { class: 'stat' }, '不需报送', h('b', {}, data.counts.notOwed ?? 0)),
  );
}

/**
 * Every unit, missing and late first.
 * @param {TimelinessReport} data
 */
function unitsTable(data) {
  const units = [...data.units].sort(
    (a, b) => ORDER[a.timeliness] - ORDER[b.timeliness] || a.code.localeCompare(b.code),
  );
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['单位', '报送情况', '首次提交时间'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      units.length === 0
        ? h('tr', {}, h('td', { colspan: 3, class: 'muted' }, '没有需要报送的单位。'))
        : null,
      units.map((u) =>
        h(
          'tr',
          {},
          h('td', {}, u.name ?? u.code),
          h('td', {}, h('span', { class: `badge ${u.timeliness}` }, TIMELINESS[u.timeliness])),
          h('td', {}, when(u.submittedAt)),
        ),
      ),
    ),
  );
}
