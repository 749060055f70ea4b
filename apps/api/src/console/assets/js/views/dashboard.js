// The province's dashboard: every unit's progress against the even pace, timeliness, platform differences.
import { downloadButton } from '../actions.js';
import { api, ApiError } from '../api.js';
import { legend, paceChart, progressBar, regionBars } from '../charts.js';
import { field, h, mount, noticeBox, option, say } from '../dom.js';
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

export async function render(root, ctx) {
  const year = ctx.year;
  const periods = openPeriods(year, ctx.context);
  const p = ctx.params;
  const period = periods.includes(p.period) ? p.period : periods[periods.length - 1];
  const metric = METRICS.includes(p.metric) ? p.metric : 'training';
  const kind = p.kind ?? '';
  const region = p.region ?? '';
  const pace = paceOf(period);
  const notice = noticeBox();
  const body = h('div', {}, h('p', { class: 'muted' }, '正在加载…'));
  const set = (change) => ctx.go({ period, metric, kind, region, ...change });

  const planRes = await api.get(`/api/v1/plans/${year}`).catch((error) => error);
  if (planRes instanceof ApiError) {
    mount(
      root,
      h('h1', {}, `${year} 年度总览`),
      h(
        'p',
        { class: 'notice warn' },
        planRes.status === 404 ? `${year} 年度计划尚未发布。` : planRes.message,
      ),
    );
    return;
  }
  const regions = planRes.data.units.filter((u) => u.kind === 'region');
  const controls = h(
    'div',
    { class: 'row no-print card' },
    field(
      '月份',
      h(
        'select',
        { name: 'period', on: { change: (e) => set({ period: e.target.value }) } },
        periods.map((x) => option(x, periodLabel(x), x === period)),
      ),
    ),
    field(
      '指标',
      h(
        'select',
        { name: 'metric', on: { change: (e) => set({ metric: e.target.value }) } },
        METRICS.map((m) => option(m, SHORT_METRIC[m], m === metric)),
      ),
    ),
    field(
      '单位类型',
      h(
        'select',
        { name: 'kind', disabled: !!region, on: { change: (e) => set({ kind: e.target.value }) } },
        option('', '全部'),
        Object.entries(KINDS)
          .filter(([k]) => k !== 'city-secondary')
          .map(([k, label]) => option(k, label, k === kind)),
      ),
    ),
    field(
      '地区（看所属学校）',
      h(
        'select',
        { name: 'region', on: { change: (e) => set({ region: e.target.value }) } },
        option('', '全省（计划单位）'),
        regions.map((r) => option(r.code, r.name, r.code === region)),
      ),
    ),
    downloadButton(
      '下载进度表（Excel）',
      `/api/v1/plans/${year}/progress.xlsx?${new URLSearchParams({ period, ...(region ? { region } : {}) })}`,
      `${year}-进度表-${period}${region ? `-${region}` : ''}.xlsx`,
      notice,
    ),
  );
  mount(root, h('h1', {}, `${year} 年度任务进度总览`), controls, notice, body);

  try {
    const scope = region ? { region } : {};
    const q = (extra) => new URLSearchParams({ ...extra, ...scope });
    const [progress, timeliness, reconciliation, months] = await Promise.all([
      api.get(`/api/v1/plans/${year}/progress?${q({ period })}`).then((r) => r.data),
      api.get(`/api/v1/plans/${year}/timeliness?${q({ period })}`).then((r) => r.data),
      api
        .get(`/api/v1/plans/${year}/reconciliation?${new URLSearchParams({ period })}`)
        .then((r) => r.data)
        .catch(() => null),
      Promise.all(
        periods
          .filter((x) => x <= period)
          .map((x) => api.get(`/api/v1/plans/${year}/progress?${q({ period: x })}`).then((r) => r.data)),
      ),
    ]);
    const differences = new Map((reconciliation?.units ?? []).map((u) => [u.code, u]));
    const units = progress.units.filter((u) => !kind || region || u.kind === kind);
    const totals = progress.totals;
    const points = months.map((m) => ({ month: Number(m.period.slice(5, 7)), rate: m.totals.rate[metric] }));
    const regionRows = region
      ? []
      : progress.units
          .filter((u) => u.kind === 'region')
          .map((u) => ({ label: u.name.replace(/[(（].*$/, ''), rate: u.rate[metric] }));
    mount(
      body,
      progress.projection?.lag > 0
        ? h(
            'p',
            { class: 'notice info' },
            `统计数据正在更新（还有 ${progress.projection.lag} 条记录待计入），稍后刷新可看到最新数字。`,
          )
        : null,
      h(
        'div',
        { class: 'card summary', 'data-testid': 'totals' },
        h(
          'div',
          { class: 'stat' },
          `${SHORT_METRIC[metric]}年度任务`,
          h('b', {}, num(totals.annual[metric])),
        ),
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
            `按时 ${timeliness.counts.onTime} · 逾期 ${timeliness.counts.late} · 未报 ${timeliness.counts.missing} · 未到期 ${timeliness.counts.pending}`,
          ),
        ),
      ),
      h(
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
      ),
      unitTable(units, { metric, pace, period, differences, notice }),
    );
  } catch (error) {
    say(notice, 'error', error.message);
  }
}

function unitTable(units, { metric, pace, period, differences, notice }) {
  const head = [
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
  return h(
    'table',
    { 'data-testid': 'progress-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((t, i) => h('th', { class: i >= 3 && i <= 6 ? 'num' : '' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      units.map((u, i) => {
        const d = differences.get(u.code);
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
          h('td', { class: 'num' }, platformCell(d)),
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
      }),
    ),
  );
}

/** Reported (official) training against the platform's figure; "—" where either side has nothing yet. */
function platformCell(d) {
  if (!d || d.reported === null || d.reported === undefined) return '—';
  if (d.platform === null || d.platform === undefined) return h('span', { class: 'muted' }, '平台无数据');
  if (d.difference === 0) return '一致';
  return h(
    'span',
    { class: 'delta down', title: `月报 ${num(d.reported)}，平台 ${num(d.platform)}` },
    `${d.difference > 0 ? '+' : ''}${num(d.difference)}`,
  );
}
