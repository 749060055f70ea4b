// One unit's months at a glance: a status table to pick a month, and its cumulative progress chart.
import { api, ApiError } from '../api.js';
import { legend, paceChart } from '../charts.js';
import { h } from '../dom.js';
import { METRICS, openPeriods, periodLabel, SHORT_METRIC, STATUS, TIMELINESS } from '../format.js';

export const reportPath = (unit, period) => `/api/v1/units/${encodeURIComponent(unit)}/reports/${period}`;

/** The unit's report for every open month of the year (months not in a plan come back as null). */
export async function loadMonths(unitCode, year, context) {
  const periods = openPeriods(year, context);
  return Promise.all(
    periods.map(async (period) => {
      try {
        return (await api.get(reportPath(unitCode, period))).data;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { period, missingPlan: true };
        throw error;
      }
    }),
  );
}

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

/** Official cumulative rate month by month (what was accepted), against the even pace. */
export function unitPaceChart(reports, metric = 'training') {
  let cumulative = 0;
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

export const pickMetric = (reports) =>
  METRICS.find((m) => reports.some((r) => r.annual && r.annual[m] !== null)) ?? 'training';
