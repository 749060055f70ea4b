// @ts-check
// One unit's months at a glance: a status table to pick a month, and its cumulative progress chart.
import { api, ApiError } from '../api.js';
import { legend, paceChart } from '../charts.js';
import { h } from '../dom.js';
import { METRICS, openPeriods, periodLabel, SHORT_METRIC, STATUS, TIMELINESS } from '../format.js';

/** @typedef {import('../types.js').Month} Month */
/** @typedef {import('../types.js').Metric} Metric */

/**
 * @param {string} unit
 * @param {string} period
 */
export const reportPath = (unit, period) => `/api/v1/units/${encodeURIComponent(unit)}/reports/${period}`;

/**
 * Whether the plan holds this month for the unit.
 * @param {Month} month
 * @returns {month is import('../types.js').PlannedMonth}
 */
export const isPlanned = (month) => !month.missingPlan;

/**
 * The unit's report for every open month of the year (months not in a plan come back as missingPlan).
 * @param {string} unitCode
 * @param {number} year
 * @param {import('../types.js').ConsoleContext} context
 * @returns {Promise<Month[]>}
 */
export async function loadMonths(unitCode, year, context) {
  const periods = openPeriods(year, context);
  return Promise.all(
    periods.map(async (period) => {
      try {
        /** @type {import('../types.js').Report} */
        const report = await api.read(reportPath(unitCode, period));
        return report;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404)
          return /** @type {const} */ ({ period, missingPlan: true });
        throw error;
      }
    }),
  );
}

/**
 * @param {Month[]} reports
 * @param {string} selected
 * @param {(period: string) => void} onPick
 */
export function monthTable(reports, selected, onPick) {
  return h(
    'table',
    { 'aria-label': '各月报送情况' },
    h('thead', {}, h('tr', {}, h('th', {}, '月份'), h('th', {}, '状态'), h('th', {}, '及时性'))),
    h(
      'tbody',
      {},
      reports.map((r) =>
        h(
          'tr',
          { class: r.period === selected ? 'total' : '' },
          h(
            'td',
            {},
            h(
              'button',
              { class: 'link', type: 'button', on: { click: () => onPick(r.period) } },
              periodLabel(r.period),
            ),
          ),
          h('td', {}, r.missingPlan ? '—' : h('span', { class: `badge ${r.status}` }, STATUS[r.status])),
          h(
            'td',
            {},
            r.missingPlan ? '—' : h('span', { class: `badge ${r.timeliness}` }, TIMELINESS[r.timeliness]),
          ),
        ),
      ),
    ),
  );
}

/**
 * Official cumulative rate month by month (what was accepted), against the even pace.
 * @param {Month[]} reports
 * @param {Metric} [metric]
 */
export function unitPaceChart(reports, metric = 'training') {
  let cumulative = 0;
  /** @type {import('../charts.js').Point[]} */
  const points = [];
  let annual = null;
  for (const r of reports) {
    if (r.missingPlan) continue;
    annual = r.annual?.[metric] ?? null;
    cumulative += r.official?.figures?.[metric] ?? 0;
    points.push({
      month: Number(r.period.slice(5, 7)),
      rate: annual ? Math.round((cumulative * 1000) / annual) / 10 : null,
    });
  }
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, `${SHORT_METRIC[metric]}：累计完成进度（已审核数）与序时进度`),
    annual === null ? h('p', { class: 'muted' }, '本单位该项没有分配任务（—）。') : paceChart(points),
    legend(),
  );
}

/**
 * The first metric the unit has a task in.
 * @param {Month[]} reports
 * @returns {Metric}
 */
export const pickMetric = (reports) =>
  METRICS.find((m) => reports.some((r) => !r.missingPlan && r.annual && r.annual[m] !== null)) ?? 'training';
