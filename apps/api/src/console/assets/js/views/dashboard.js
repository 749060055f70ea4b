// @ts-check
// The province's dashboard: every unit's progress against the even pace, timeliness, platform differences.
import { downloadButton } from '../actions.js';
import { api, ApiError } from '../api.js';
import { legend, paceChart, progressBar, regionBars } from '../charts.js';
import { field, h, messageOf, mount, noticeBox, option, say } from '../dom.js';
import {
  KINDS,
  METRICS,
  num,
  openPeriods,
  paceOf,
  pct,
  periodLabel,
  SHORT_METRIC,
  STATUS,
  TIMELINESS,
} from '../format.js';
import { reportPath } from './months.js';

/** @typedef {import('../types.js').Metric} Metric */
/** @typedef {import('../types.js').Plan} Plan */
/** @typedef {import('../types.js').Progress} Progress */
/** @typedef {import('../types.js').ProgressRow} ProgressRow */
/** @typedef {import('../types.js').TimelinessReport} TimelinessReport */
/** @typedef {import('../types.js').Reconciliation} Reconciliation */
/** @typedef {import('../types.js').Difference} Difference */
/** @typedef {import('../types.js').ViewContext} ViewContext */
/**
 * What the page shows, from the route's query.
 * @typedef {object} Filters
 * @property {number} year
 * @property {string[]} periods the months that can be chosen
 * @property {string} period
 * @property {Metric} metric
 * @property {string} kind a unit kind, or '' for all
 * @property {string} region a region's code (its schools), or '' for the plan's units
 * @property {number} pace the even pace at the end of `period`
 */
/**
 * Everything the figures below the filters are drawn from.
 * @typedef {{ progress: Progress, timeliness: TimelinessReport, reconciliation: Reconciliation | null, months: Progress[] }} Figures
 */

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const filters = filtersOf(ctx);
  const { year, period, metric, kind, region } = filters;
  const notice = noticeBox();
  const body = h('div', {}, h('p', { class: 'muted' }, '正在加载…'));
  /** @param {import('../types.js').Params} change */
  const set = (change) => ctx.go({ period, metric, kind, region, ...change });
  /** @type {Promise<Plan>} */
  const reading = api.read(`/api/v1/plans/${year}`);
  const plan = await reading.catch((error) => (error instanceof ApiError ? error : Promise.reject(error)));
  if (plan instanceof ApiError) {
    const text = plan.status === 404 ? `${year} 年度计划尚未发布。` : plan.message;
    mount(root, h('h1', {}, `${year} 年度总览`), h('p', { class: 'notice warn' }, text));
    return;
  }
  const regions = plan.units.filter((u) => u.kind === 'region');
  const controls = filterBar(filters, regions, set, notice);
  mount(root, h('h1', {}, `${year} 年度任务进度总览`), controls, notice, body);
  try {
    drawFigures(body, filters, await loadFigures(filters), notice);
  } catch (error) {
    say(notice, 'error', messageOf(error));
  }
}

/**
 * @param {ViewContext} ctx
 * @returns {Filters}
 */
function filtersOf(ctx) {
  const year = ctx.year;
  const periods = openPeriods(year, ctx.context);
  const p = ctx.params;
  const period = p.period && periods.includes(p.period) ? p.period : periods[periods.length - 1];
  const metric = METRICS.find((m) => m === p.metric) ?? 'training';
  return { year, periods, period, metric, kind: p.kind ?? '', region: p.region ?? '', pace: paceOf(period) };
}

/**
 * A select that moves the route when changed.
 * @param {string} name
 * @param {import('../dom.js').Child} options
 * @param {(value: string) => void} onPick
 * @param {boolean} [disabled]
 */
function picker(name, options, onPick, disabled = false) {
  const select = h('select', { name, disabled }, options);
  select.addEventListener('change', () => onPick(select.value));
  return select;
}

/**
 * Month, metric, unit kind and region, and the progress workbook of what is chosen.
 * @param {Filters} filters
 * @param {import('../types.js').Unit[]} regions
 * @param {(change: import('../types.js').Params) => void} set
 * @param {HTMLElement} notice
 */
function filterBar({ year, periods, period, metric, kind, region }, regions, set, notice) {
  const kinds = Object.entries(KINDS).filter(([k]) => k !== 'city-secondary');
  return h(
    'div',
    { class: 'row no-print card' },
    field(
      '月份',
      picker(
        'period',
        periods.map((x) => option(x, periodLabel(x), x === period)),
        (v) => set({ period: v }),
      ),
    ),
    field(
      '指标',
      picker(
        'metric',
        METRICS.map((m) => option(m, SHORT_METRIC[m], m === metric)),
        (v) => set({ metric: v }),
      ),
    ),
    field(
      '单位类型',
      picker(
        'kind',
        [option('', '全部'), kinds.map(([k, label]) => option(k, label, k === kind))],
        (v) => set({ kind: v }),
        !!region,
      ),
    ),
    field(
      '地区（看所属学校）',
      picker(
        'region',
        [option('', '全省（计划单位）'), regions.map((r) => option(r.code, r.name, r.code === region))],
        (v) => set({ region: v }),
      ),
    ),
    downloadButton(
      '下载进度表（Excel）',
      `/api/v1/plans/${year}/progress.xlsx?${new URLSearchParams({ period, ...(region ? { region } : {}) })}`,
      `${year}-进度表-${period}${region ? `-${region}` : ''}.xlsx`,
      notice,
    ),
  );
}

/**
 * The month's progress and timeliness, the platform's differences, and the progress of every month so far.
 * @param {Filters} filters
 * @returns {Promise<Figures>}
 */
async function loadFigures({ year, periods, period, region }) {
  /** @type {Record<string, string>} */
  const scope = region ? { region } : {};
  /** @param {Record<string, string>} extra */
  const q = (extra) => new URLSearchParams({ ...extra, ...scope });
  /** @type {(at: string) => Promise<Progress>} */
  const progressAt = (at) => api.read(`/api/v1/plans/${year}/progress?${q({ period: at })}`);
  /** @type {Promise<TimelinessReport>} */
  const timeliness = api.read(`/api/v1/plans/${year}/timeliness?${q({ period })}`);
  /** @type {Promise<Reconciliation>} */
  const reconciliation = api.read(`/api/v1/plans/${year}/reconciliation?${new URLSearchParams({ period })}`);
  const [progress, timely, differences, months] = await Promise.all([
    progressAt(period),
    timeliness,
    reconciliation.catch(() => null),
    Promise.all(periods.filter((x) => x <= period).map((x) => progressAt(x))),
  ]);
  return { progress, timeliness: timely, reconciliation: differences, months };
}

/**
 * @param {HTMLElement} body
 * @param {Filters} filters
 * @param {Figures} figures
 * @param {HTMLElement} notice
 */
function drawFigures(body, filters, { progress, timeliness, reconciliation, months }, notice) {
  const { metric, pace, period, kind, region } = filters;
  const differences = new Map((reconciliation?.units ?? []).map((u) => [u.code, u]));
  const units = progress.units.filter((u) => !kind || region || u.kind === kind);
  const lag = progress.projection?.lag ?? 0;
  mount(
    body,
    lag > 0
      ? h(
          'p',
          { class: 'notice info' },
          `统计数据正在更新（还有 ${lag} 条记录待计入），稍后刷新可看到最新数字。`,
        )
      : null,
    totalsCard(progress, timeliness, metric, pace),
    charts(filters, progress, months),
    unitTable(units, { metric, pace, period, differences, notice }),
  );
}

/**
 * @param {Progress} progress
 * @param {TimelinessReport} timeliness
 * @param {Metric} metric
 * @param {number} pace
 */
function totalsCard({ totals }, { counts }, metric, pace) {
  return h(
    'div',
    { class: 'card summary', 'data-testid': 'totals' },
    h('div', { class: 'stat' }, `${SHORT_METRIC[metric]}年度任务`, h('b', {}, num(totals.annual[metric]))),
    h(
      'div',
      { class: 'stat' },
      '本月完成',
      h('b', { 'data-testid': 'total-month' }, num(totals.month[metric])),
    ),
    h(
      'div',
      { class: 'stat' },
      '累计完成',
      h('b', { 'data-testid': 'total-cumulative' }, num(totals.cumulative[metric])),
    ),
    h(
      'div',
      { class: 'stat' },
      '完成率 / 序时进度',
      h('b', {}, `${pct(totals.rate[metric])} / ${pct(pace)}`),
    ),
    h(
      'div',
      { class: 'stat' },
      '本月报送',
      h(
        'b',
        {},
        `按时 ${counts.onTime} · 逾期 ${counts.late} · 未报 ${counts.missing} · 未到期 ${counts.pending}`,
      ),
    ),
  );
}

/**
 * The cumulative rate month by month against the even pace, and (province-wide) each region's rate.
 * @param {Filters} filters
 * @param {Progress} progress
 * @param {Progress[]} months
 */
function charts({ metric, pace, region }, progress, months) {
  const points = months.map((m) => ({ month: Number(m.period.slice(5, 7)), rate: m.totals.rate[metric] }));
  const regionRows = region
    ? []
    : progress.units
        .filter((u) => u.kind === 'region')
        .map((u) => ({ label: u.name.replace(/[(（].*$/, ''), rate: u.rate[metric] }));
  return h(
    'div',
    { class: 'charts' },
    h(
      'div',
      { class: 'card' },
      h('h2', {}, `${region ? '本地区学校' : '全省'}${SHORT_METRIC[metric]}累计完成进度`),
      paceChart(points),
      legend(),
    ),
    regionRows.length
      ? h(
          'div',
          { class: 'card' },
          h('h2', {}, `各地区${SHORT_METRIC[metric]}完成率`),
          regionBars(regionRows, pace),
        )
      : null,
  );
}

/** @typedef {{ metric: Metric, pace: number, period: string, differences: Map<string, Difference>, notice: HTMLElement }} RowOptions */

const HEAD = [
  '序号',
  '单位',
  '类型',
  '年度任务',
  '本月',
  '累计',
  '完成率',
  '进度（竖线为序时进度）',
  '状态',
  '及时性',
  '平台差异',
  '下载',
];

/**
 * @param {ProgressRow[]} units
 * @param {RowOptions} options
 */
function unitTable(units, options) {
  return h(
    'table',
    { 'data-testid': 'progress-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        HEAD.map((t, i) => h('th', { class: i >= 3 && i <= 6 ? 'num' : '' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      units.map((u, i) => unitRow(u, i, options)),
    ),
  );
}

/**
 * @param {ProgressRow} u
 * @param {number} i
 * @param {RowOptions} options
 */
function unitRow(u, i, { metric, pace, period, differences, notice }) {
  const schools =
    u.schoolsSum && u.month && u.schoolsSum[metric] !== u.month[metric]
      ? h('div', { class: 'hint warn' }, `学校合计 ${num(u.schoolsSum[metric])}`)
      : null;
  const path = reportPath(u.code, period);
  return h(
    'tr',
    { dataset: { unit: u.code } },
    h('td', { class: 'num' }, i + 1),
    h('td', {}, u.name),
    h('td', {}, KINDS[u.kind] ?? u.kind),
    h('td', { class: 'num' }, num(u.annual[metric])),
    h('td', { class: 'num' }, u.month ? num(u.month[metric]) : '—', schools),
    h('td', { class: 'num' }, num(u.cumulative[metric])),
    h('td', { class: 'num' }, pct(u.rate[metric])),
    h(
      'td',
      {},
      u.annual[metric] === null
        ? h('span', { class: 'muted' }, '无此项任务')
        : progressBar(u.rate[metric], pace),
    ),
    h('td', {}, h('span', { class: `badge ${u.status}` }, STATUS[u.status])),
    h('td', {}, h('span', { class: `badge ${u.timeliness}` }, TIMELINESS[u.timeliness])),
    h('td', { class: 'num' }, platformCell(differences.get(u.code))),
    h(
      'td',
      {},
      u.status === 'not-started'
        ? '—'
        : [
            downloadButton('表', `${path}/form.xlsx`, `${u.code}-${period}-月报表.xlsx`, notice),
            downloadButton('网页', `${path}/form.html`, `${u.code}-${period}-月报表.html`, notice),
          ],
    ),
  );
}

/**
 * Reported (official) training against the platform's figure; "—" where either side has nothing yet.
 * @param {Difference | undefined} d
 */
function platformCell(d) {
  if (!d || d.reported === null || d.reported === undefined) return '—';
  if (d.platform === null || d.platform === undefined) return h('span', { class: 'muted' }, '平台无数据');
  if (d.difference === 0) return '一致';
  const difference = d.difference ?? 0;
  return h(
    'span',
    { class: 'delta down', title: `月报 ${num(d.reported)}，平台 ${num(d.platform)}` },
    `${difference > 0 ? '+' : ''}${num(d.difference)}`,
  );
}
