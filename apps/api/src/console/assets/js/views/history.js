// @ts-check
// The auditor's report page: every event, two revisions side by side, and the report as it stood at an instant.
import { api, download } from '../api.js';
import { field, h, messageOf, mount, noticeBox, option, say } from '../dom.js';
import { METRIC_LABELS, METRICS, num, periodLabel, periodsOf, ROLES, when } from '../format.js';
import { reportPath } from './months.js';
import { reportSheet } from './report-sheet.js';

/** @typedef {import('../types.js').HistoryEntry} HistoryEntry */
/** @typedef {import('../types.js').EventData} EventData */
/** @typedef {import('../types.js').Params} Params */
/** @typedef {import('../types.js').ReportDiff} ReportDiff */
/** @typedef {import('../types.js').RevisionSummary} RevisionSummary */
/** @typedef {import('../types.js').Unit} Unit */
/** @typedef {import('../types.js').ViewContext} ViewContext */

/** @type {Record<string, string>} */
const EVENT_NAMES = {
  ReportFiguresEntered: '填写数字',
  ReportSignedByFiller: '填报人签字',
  ReportSubmitted: '组长签字并提交',
  ReportAccepted: '审核通过',
  ReportReturned: '审核退回',
  ReportAmendmentOpened: '提出修改（新版本）',
  ReportMarkedOverdue: '逾期未报',
  ReportScanAttached: '上传盖章扫描件',
};

/**
 * A datetime-local value is the auditor's wall clock, which for this campaign is Beijing time.
 * @param {string} local
 */
const toInstant = (local) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '');

/** @param {HistoryEntry} e */
function summary(e) {
  const d = e.data ?? {};
  if (d.figures) return figuresSummary(d, d.figures);
  if (d.reason) return `原因：${d.reason}`;
  if (d.name) return `签字人 ${d.name}${d.phone ? `，电话 ${d.phone}` : ''}`;
  if (d.deadline) return `截止时间 ${when(d.deadline)}`;
  if (d.sha256) return `${d.contentType}，${num(d.bytes)} 字节，SHA-256 ${d.sha256}`;
  return '';
}

/**
 * @param {EventData} d
 * @param {import('../types.js').Figures} figures
 */
function figuresSummary(d, figures) {
  const list = METRICS.map((m) => `${METRIC_LABELS[m].replace(/（.*）/, '')} ${num(figures[m])}`).join('，');
  return `${list}${d.reason ? `；原因：${d.reason}` : ''}${d.note ? `；备注：${d.note}` : ''}`;
}

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const p = ctx.params;
  const notice = noticeBox();
  /** @type {Unit[]} */
  const units = await api.read('/api/v1/units');
  const body = h('div');
  mount(root, h('h1', {}, '月报历史、版本对比与任一时刻状态'), chooser(ctx, units), notice, body);
  if (!p.unit || !p.period) {
    mount(body, h('p', { class: 'muted' }, '请选择单位和月份。'));
    return;
  }
  const path = reportPath(p.unit, p.period);
  try {
    /** @type {HistoryEntry[]} */
    const events = await api.read(`${path}/history`);
    const revisions = [...new Set(events.map((e) => e.data?.revision).filter((r) => r !== undefined))].sort(
      (a, b) => a - b,
    );
    mount(
      body,
      h(
        'h2',
        {},
        `${units.find((u) => u.code === p.unit)?.name ?? p.unit} · ${periodLabel(p.period)} · 全部记录`,
      ),
      eventTable(events, path, notice),
      revisions.length >= 2
        ? await compare(path, revisions, p)
        : h('p', { class: 'muted' }, '只有一个版本，没有可对比的修改。'),
      await asOfPanel(path, events, p),
    );
  } catch (error) {
    say(notice, 'error', messageOf(error));
  }
}

/**
 * Which unit and month to look at.
 * @param {ViewContext} ctx
 * @param {Unit[]} units
 */
function chooser(ctx, units) {
  const p = ctx.params;
  const unit = h(
    'select',
    { name: 'unit' },
    units.map((u) => option(u.code, `${u.name}（${u.code}）`, u.code === p.unit)),
  );
  const period = h(
    'select',
    { name: 'period' },
    periodsOf(ctx.year).map((x) => option(x, periodLabel(x), x === (p.period ?? ctx.context.period))),
  );
  const show = h(
    'button',
    {
      class: 'primary',
      type: 'button',
      on: { click: () => ctx.go({ unit: unit.value, period: period.value }) },
    },
    '查看',
  );
  return h('div', { class: 'card row no-print' }, field('单位', unit), field('月份', period), show);
}

/**
 * @param {HistoryEntry[]} events
 * @param {string} path the report's path
 * @param {HTMLElement} notice
 */
function eventTable(events, path, notice) {
  return h(
    'table',
    { class: 'events', 'data-testid': 'history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['账本位置', '时间', '事项', '版本', '操作人', '内容'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      events.length === 0
        ? h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '这份月报还没有任何记录。'))
        : null,
      events.map((e) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, e.position),
          h('td', {}, when(e.recordedAt)),
          h('td', {}, EVENT_NAMES[e.type] ?? e.type),
          h('td', { class: 'num' }, e.data?.revision ?? ''),
          h('td', {}, e.actor ? `${e.actor}（${(e.role && ROLES[e.role]) ?? e.role ?? '系统'}）` : '系统'),
          h('td', {}, summary(e), e.type === 'ReportScanAttached' ? scanLink(path, e.data, notice) : null),
        ),
      ),
    ),
  );
}

/**
 * The auditor downloads exactly the file this event names (the API re-hashes it before sending).
 * @param {string} path
 * @param {EventData | null} scan
 * @param {HTMLElement} notice
 */
function scanLink(path, scan, notice) {
  const sha256 = scan?.sha256 ?? '';
  const button = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'history-scan' },
    '下载此扫描件',
  );
  /** @type {Record<string, string>} */
  const extensions = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
  const ext = extensions[scan?.contentType ?? ''] ?? 'bin';
  button.addEventListener('click', () =>
    download(`${path}/scan?sha256=${sha256}`, `scan-${sha256.slice(0, 12)}.${ext}`).catch((e) =>
      say(notice, 'error', `下载失败：${messageOf(e)}`),
    ),
  );
  return h('div', {}, button);
}

/**
 * Two revisions side by side (the last two unless the route names them), and what changed.
 * @param {string} path
 * @param {number[]} revisions
 * @param {Params} p
 */
async function compare(path, revisions, p) {
  const from = Number(p.from) || revisions[revisions.length - 2];
  const to = Number(p.to) || revisions[revisions.length - 1];
  /** @type {ReportDiff} */
  const diff = await api.read(`${path}/diff?from=${from}&to=${to}`);
  return h(
    'div',
    { 'data-testid': 'diff' },
    h('h2', {}, '版本对比'),
    revisionPickers(revisions, p, from, to),
    h('div', { class: 'side-by-side' }, revisionCard(diff.from), revisionCard(diff.to)),
    changesTable(diff, from, to),
  );
}

/**
 * @param {number[]} revisions
 * @param {Params} p
 * @param {number} from
 * @param {number} to
 */
function revisionPickers(revisions, p, from, to) {
  /**
   * @param {string} name
   * @param {number} value
   */
  const pick = (name, value) =>
    h(
      'select',
      { name },
      revisions.map((r) => option(String(r), `第 ${r} 版`, r === value)),
    );
  const a = pick('from', from);
  const b = pick('to', to);
  const go = () => {
    const params = new URLSearchParams({ ...definedOf(p), from: a.value, to: b.value });
    location.hash = `#/history?${params}`;
  };
  a.addEventListener('change', go);
  b.addEventListener('change', go);
  return h('div', { class: 'row no-print' }, field('左侧', a), field('右侧', b));
}

/**
 * The route's query without the keys it does not hold.
 * @param {Params} p
 * @returns {Record<string, string>}
 */
const definedOf = (p) =>
  Object.fromEntries(Object.entries(p).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])));

/**
 * One revision: who opened it and why, its figures, and whether it was accepted or returned.
 * @param {RevisionSummary} rev
 */
function revisionCard(rev) {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, `第 ${rev.revision} 版`),
    h(
      'p',
      { class: 'muted' },
      `由 ${rev.openedBy?.actor ?? '—'} 于 ${when(rev.openedBy?.at)} 建立${rev.reason ? `；修改原因：${rev.reason}` : ''}`,
    ),
    h(
      'table',
      {},
      h(
        'tbody',
        {},
        METRICS.map((m) =>
          h('tr', {}, h('td', {}, METRIC_LABELS[m]), h('td', { class: 'num' }, num(rev.figures[m]))),
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      rev.accepted ? `已于 ${when(rev.accepted.at)} 由 ${rev.accepted.actor} 审核通过` : '未审核通过',
    ),
    rev.returns?.length
      ? h(
          'p',
          { class: 'muted' },
          rev.returns.map((r) => `${when(r.at)} 被 ${r.actor} 退回：${r.reason}`).join('；'),
        )
      : null,
  );
}

/**
 * @param {ReportDiff} diff
 * @param {number} from
 * @param {number} to
 */
function changesTable(diff, from, to) {
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '项目'),
        h('th', { class: 'num' }, `第 ${from} 版`),
        h('th', { class: 'num' }, `第 ${to} 版`),
        h('th', { class: 'num' }, '变化'),
      ),
    ),
    h(
      'tbody',
      {},
      diff.changes.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, METRIC_LABELS[c.metric] ?? c.label),
          h('td', { class: 'num' }, num(c.from)),
          h('td', { class: 'num' }, num(c.to)),
          h(
            'td',
            { class: `num delta ${c.delta > 0 ? 'up' : c.delta < 0 ? 'down' : ''}` },
            c.delta === 0 ? '—' : `${c.delta > 0 ? '+' : ''}${num(c.delta)}`,
          ),
        ),
      ),
    ),
  );
}

/**
 * The report as it stood at an instant: typed, or just after one of its events.
 * @param {string} path
 * @param {HistoryEntry[]} events
 * @param {Params} p
 */
async function asOfPanel(path, events, p) {
  const input = h('input', { type: 'datetime-local', name: 'asOf', step: 1, value: p.asOf ?? '' });
  const show = h(
    'button',
    {
      type: 'button',
      on: {
        click: () =>
          (location.hash = `#/history?${new URLSearchParams({ ...definedOf(p), asOf: input.value })}`),
      },
    },
    '查看该时刻的月报',
  );
  const quick = events.map((e) => {
    const local = new Date(Date.parse(e.recordedAt) + 8 * 3600_000).toISOString().slice(0, 19);
    return option(local, `${when(e.recordedAt)} ${EVENT_NAMES[e.type] ?? e.type}之后`, local === p.asOf);
  });
  const picker = h('select', {}, option('', '（按记录时间选择）'), quick);
  picker.addEventListener('change', () => (input.value = picker.value));
  /** @type {HTMLElement[]} */
  const parts = [
    h('h2', {}, '某一时刻的月报'),
    h(
      'div',
      { class: 'row no-print' },
      field('时刻（北京时间）', input),
      field('或选一条记录', picker),
      show,
    ),
  ];
  if (p.asOf) {
    const instant = toInstant(p.asOf);
    /** @type {import('../types.js').Report} */
    const data = await api.read(`${path}?asOf=${encodeURIComponent(instant)}`);
    parts.push(
      h('p', { class: 'muted' }, `以下是 ${when(instant)} 时的状态（第 ${data.version} 条记录之后）：`),
      reportSheet(data).el,
    );
  }
  return h('div', { 'data-testid': 'as-of' }, parts);
}
