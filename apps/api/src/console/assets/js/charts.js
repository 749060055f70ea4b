// @ts-check
// Hand-made inline SVG charts: no library, no network. Every chart has a text title for screen readers,
// and its figures in a table behind a "以表格查看" switch, for them and for anyone who wants the numbers.
import { h } from './dom.js';
import { pct } from './format.js';

/**
 * A month's cumulative rate; null where no task is assigned.
 * @typedef {{ month: number, rate: number | null }} Point
 */
/** @typedef {{ label: string, rate: number | null }} Bar */

const NS = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string} [text]
 */
function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * @param {number} width
 * @param {number} height
 * @param {string} title
 * @param {string} kind
 */
function frame(width, height, title, kind) {
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: `chart ${kind}`, role: 'img' });
  svg.append(s('title', {}, title));
  return svg;
}

/**
 * The chart, and under it a closed <details> holding the same figures as a table.
 * @param {Element} svg
 * @param {string} title
 * @param {string[]} head
 * @param {string[][]} rows the first cell of each row is its label
 */
function withTable(svg, title, head, rows) {
  return h(
    'figure',
    { class: 'chart-figure' },
    svg,
    h(
      'details',
      {},
      h('summary', {}, `以表格查看：${title}`),
      h(
        'table',
        {},
        h('caption', { class: 'muted' }, title),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map(([label, ...cells]) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, label),
              cells.map((c) => h('td', { class: 'num' }, c)),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * Cumulative completion by month (percent of the annual task) against the even pace (month / 12).
 * `points`: [{ month: 1..12, rate: number | null }]; a null rate is a month with no assigned task.
 * @param {Point[]} points
 * @param {{ title?: string }} [options]
 */
export function paceChart(points, { title = '累计完成进度与序时进度' } = {}) {
  const W = 620;
  const H = 260;
  const L = 44;
  const R = 14;
  const T = 14;
  const B = 30;
  const top = Math.max(100, ...points.map((p) => p.rate ?? 0));
  const ceiling = Math.ceil(top / 20) * 20;
  /** @param {number} m */
  const x = (m) => L + ((m - 0) / 12) * (W - L - R);
  /** @param {number} v */
  const y = (v) => T + (1 - v / ceiling) * (H - T - B);
  const svg = frame(W, H, title, 'pace');
  for (let v = 0; v <= ceiling; v += 20) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#e3e7ec' }));
    svg.append(s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, `${v}%`));
  }
  for (let m = 1; m <= 12; m++)
    svg.append(s('text', { x: x(m), y: H - 10, 'text-anchor': 'middle' }, `${m}月`));
  svg.append(
    s('line', {
      x1: x(0),
      y1: y(0),
      x2: x(12),
      y2: y(100),
      stroke: '#6b7280',
      'stroke-dasharray': '5 4',
      'stroke-width': 1.5,
    }),
  );
  const known = points.flatMap((p) =>
    p.rate === null || p.rate === undefined ? [] : [{ ...p, rate: p.rate }],
  );
  if (known.length > 0) {
    const path = [[0, 0], ...known.map((p) => [p.month, p.rate])]
      .map(([m, v], i) => `${i ? 'L' : 'M'}${x(m).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    svg.append(s('path', { d: path, fill: 'none', stroke: '#1d5fa8', 'stroke-width': 2.5 }));
    for (const p of known) {
      const dot = s('circle', { cx: x(p.month), cy: y(p.rate), r: 3.5, fill: '#1d5fa8' });
      dot.append(s('title', {}, `${p.month} 月累计 ${pct(p.rate)}，序时进度 ${pct((p.month / 12) * 100)}`));
      svg.append(dot);
    }
    const last = known[known.length - 1];
    svg.append(s('text', { x: x(last.month) + 6, y: y(last.rate) - 6, fill: '#1d5fa8' }, pct(last.rate)));
  }
  return withTable(
    svg,
    title,
    ['月份', '累计完成率', '序时进度'],
    points.map((p) => [`${p.month} 月`, pct(p.rate), pct((p.month / 12) * 100)]),
  );
}

/**
 * Horizontal bars: completion rate per region with the even pace as a vertical rule.
 * `rows`: [{ label, rate }], `pace`: percent of the year elapsed.
 * @param {Bar[]} rows
 * @param {number} pace
 * @param {{ title?: string }} [options]
 */
export function regionBars(rows, pace, { title = '各地区完成率' } = {}) {
  const W = 620;
  const rowH = 17;
  const L = 118;
  const R = 52;
  const T = 8;
  const H = T + rows.length * rowH + 24;
  const top = Math.max(100, ...rows.map((r) => r.rate ?? 0));
  /** @param {number} v */
  const x = (v) => L + (v / top) * (W - L - R);
  const svg = frame(W, H, title, 'bars');
  rows.forEach((row, i) => {
    const yy = T + i * rowH;
    svg.append(s('text', { x: L - 6, y: yy + 12, 'text-anchor': 'end' }, row.label));
    const rate = row.rate ?? 0;
    const color = row.rate === null ? '#cbd2d9' : rate >= pace ? '#1d5fa8' : '#8a4f00';
    const bar = s('rect', {
      x: L,
      y: yy + 2,
      width: Math.max(0, x(rate) - L),
      height: rowH - 5,
      fill: color,
    });
    bar.append(s('title', {}, `${row.label}：${pct(row.rate)}`));
    svg.append(bar);
    svg.append(s('text', { x: x(rate) + 4, y: yy + 12 }, pct(row.rate)));
  });
  const bottom = T + rows.length * rowH;
  svg.append(
    s('line', {
      x1: x(pace),
      x2: x(pace),
      y1: T - 4,
      y2: bottom,
      stroke: '#1f2933',
      'stroke-dasharray': '4 3',
    }),
  );
  svg.append(s('text', { x: x(pace), y: bottom + 16, 'text-anchor': 'middle' }, `序时进度 ${pct(pace)}`));
  return withTable(
    svg,
    title,
    ['地区', '完成率', `对比序时进度（${pct(pace)}）`],
    rows.map((row) => [
      row.label,
      pct(row.rate),
      row.rate === null ? '无此项任务' : row.rate >= pace ? '达到' : '落后',
    ]),
  );
}

/**
 * A progress bar with the even pace marked; amber when behind it.
 * @param {number | null} rate
 * @param {number} pace
 */
export function progressBar(rate, pace) {
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.title = `完成率 ${pct(rate)}，序时进度 ${pct(pace)}`;
  const fill = document.createElement('div');
  fill.className = `fill${rate !== null && rate < pace ? ' behind' : ''}`;
  fill.style.width = `${Math.min(100, rate ?? 0)}%`;
  const mark = document.createElement('div');
  mark.className = 'pace';
  mark.style.left = `${Math.min(100, pace)}%`;
  bar.append(fill, mark);
  return bar;
}

export function legend() {
  const wrap = document.createElement('div');
  wrap.className = 'legend';
  wrap.innerHTML =
    '<span><i class="swatch" style="background:#1d5fa8"></i>累计完成率</span>' +
    '<span><i class="swatch" style="background:#6b7280"></i>序时进度（按月均匀推进）</span>';
  return wrap;
}
