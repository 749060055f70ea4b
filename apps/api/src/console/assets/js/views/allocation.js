// @ts-check
// A region's split of its task among its schools (分解下达), with what remains always in view.
import { bindAction, localError } from '../actions.js';
import { api, ApiError } from '../api.js';
import { describedBy, h, messageOf, mount, noticeBox, say } from '../dom.js';
import { bySplit, num, parseFigure, SHORT_METRIC, SPLIT } from '../format.js';
import { changeForm } from './allocation-change.js';
import { draftTools } from './allocation-draft.js';
import { transferForm } from './allocation-transfer.js';

/** @typedef {import('../types.js').Allocation} Allocation */
/** @typedef {import('../types.js').Share} Share */
/** @typedef {import('../types.js').SplitMetric} SplitMetric */
/** @typedef {import('../types.js').Unit} Unit */
/** @typedef {import('../types.js').ViewContext} ViewContext */
/** @typedef {import('../dom.js').Hinted} Hinted */
/**
 * @typedef {object} SplitPage
 * @property {ViewContext} ctx
 * @property {string} region
 * @property {string} base the allocation's path
 * @property {HTMLElement} notice
 * @property {HTMLElement} body
 * @property {() => Promise<void>} reload
 */
/**
 * One load of the split: what the server holds, and the inputs typed over it (a draft only).
 * @typedef {object} Split
 * @property {Allocation} allocation
 * @property {Map<string, Share>} shares each school's saved share, by code
 * @property {Unit[]} rows the region's schools
 * @property {boolean} draft
 * @property {boolean} editable
 * @property {Map<string, Record<SplitMetric, Hinted & { input: HTMLInputElement }>>} inputs by school code
 * @property {{ etag: string | null, draft: boolean }} state the ETag the next command sends
 */
/** @typedef {{ code: string, payload: Share, delta: number }} Change */

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const region = ctx.me.unitCode;
  const notice = noticeBox();
  const body = h('div');
  mount(root, h('h1', {}, `${ctx.unit.name} · ${ctx.year} 年度任务分解`), notice, body);
  /** @type {SplitPage} */
  const page = {
    ctx,
    region,
    base: `/api/v1/plans/${ctx.year}/regions/${encodeURIComponent(region)}/allocation`,
    notice,
    body,
    reload: () => drawSplit(page),
  };
  try {
    await page.reload();
  } catch (error) {
    say(notice, 'error', messageOf(error));
  }
}

/** @param {SplitPage} page */
async function drawSplit(page) {
  /** @type {Promise<import('../api.js').Answer<Allocation>>} */
  const loading = api.get(page.base);
  /** @type {Promise<Unit[]>} */
  const children = api.read(`/api/v1/units?parent=${encodeURIComponent(page.region)}`);
  const [{ data: allocation, etag }, schools] = await Promise.all([loading, children]);
  const draft = allocation.status === 'draft';
  /** @type {Split} */
  const split = {
    allocation,
    shares: new Map(allocation.schools.map((s) => [s.code, s.quota])),
    rows: schools.filter((s) => s.kind === 'city-secondary'),
    draft,
    // A closed year shows its split as it stands: no inputs, no publishing, transfers or changes.
    editable: draft && !page.ctx.closed,
    inputs: new Map(),
    state: { etag, draft },
  };
  const summary = h('div', { class: 'card sticky', 'data-testid': 'remaining' });
  const showSummary = () => drawSummary(summary, split);
  const table = sharesTable(split, showSummary);
  const save = h('button', { class: 'primary', type: 'button', 'data-testid': 'save-shares' }, '保存分解数');
  bindAction(save, {
    notice: page.notice,
    fields: Object.fromEntries(
      [...split.inputs].flatMap(([code, f]) => SPLIT.map((m) => [`${code}.${m}`, f[m]])),
    ),
    reload: page.reload,
    run: (keyFor) => saveShares(page, split, keyFor),
  });
  showSummary();
  mount(page.body, summary, table, tools(page, split, save, etag));
}

/**
 * The split as typed so far: the saved sums plus what the inputs change.
 * @param {Split} split
 */
function typedTotals({ allocation, inputs, shares }) {
  const totals = { ...allocation.allocated };
  for (const [code, row] of inputs) {
    for (const m of SPLIT) {
      const { value } = parseFigure(row[m].input.value);
      totals[m] += (value ?? 0) - (shares.get(code)?.[m] ?? 0);
    }
  }
  return totals;
}

/**
 * Status, and per metric the task, what is split and what remains (counting unsaved input).
 * @param {HTMLElement} summary
 * @param {Split} split
 */
function drawSummary(summary, split) {
  const { allocation, draft } = split;
  const allocated = draft ? typedTotals(split) : allocation.allocated;
  mount(
    summary,
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        { class: 'stat' },
        '状态',
        h('b', {}, h('span', { class: `badge ${allocation.status}` }, draft ? '草稿（未下达）' : '已下达')),
      ),
      SPLIT.map((m) => {
        const remaining = allocation.quota[m] - allocated[m];
        return h(
          'div',
          { class: 'stat', dataset: { metric: m } },
          `${SHORT_METRIC[m]}：任务 ${num(allocation.quota[m])}`,
          h('b', { class: remaining < 0 ? 'delta down' : '' }, `剩余 ${num(remaining)}`),
          h('span', { class: 'muted' }, `已分解 ${num(allocated[m])}`),
        );
      }),
    ),
    split.editable
      ? h('p', { class: 'muted' }, '剩余数随输入即时变化（含尚未保存的输入）；全部剩余为 0 后才能下达。')
      : null,
  );
}

/**
 * @param {Split} split
 * @param {() => void} onInput
 */
function sharesTable(split, onInput) {
  return h(
    'table',
    { 'data-testid': 'shares' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '学校'),
        SPLIT.map((m) => h('th', { class: 'num' }, SHORT_METRIC[m])),
      ),
    ),
    h(
      'tbody',
      {},
      split.rows.length === 0
        ? h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '还没有登记所属学校，请先在下方登记。'))
        : null,
      split.rows.map((school) =>
        split.editable ? shareInputs(split, school, onInput) : shareRow(split, school),
      ),
    ),
  );
}

/**
 * @param {Split} split
 * @param {Unit} school
 */
function shareRow(split, school) {
  const share = split.shares.get(school.code);
  return h(
    'tr',
    {},
    h('td', {}, school.name),
    SPLIT.map((m) => h('td', { class: 'num' }, num(share?.[m] ?? 0))),
  );
}

/**
 * A school's row of inputs; typing updates the summary at once.
 * @param {Split} split
 * @param {Unit} school
 * @param {() => void} onInput
 */
function shareInputs(split, school, onInput) {
  const share = split.shares.get(school.code);
  const fields = bySplit((m) => {
    const input = h('input', {
      class: 'figure',
      name: m,
      value: share ? num(share[m]) : '',
      placeholder: '0',
      inputmode: 'numeric',
      'aria-label': `${school.name}：${SHORT_METRIC[m]}`,
      on: { input: onInput },
    });
    return { input, hint: describedBy(input) };
  });
  split.inputs.set(school.code, fields);
  return h(
    'tr',
    { dataset: { school: school.code } },
    h('td', {}, school.name),
    SPLIT.map((m) => h('td', { class: 'num' }, fields[m].input, fields[m].hint)),
  );
}

/**
 * Saves every changed share, decreases first, so moving quota between schools never passes through a
 * sum above the task.
 * @param {SplitPage} page
 * @param {Split} split
 * @param {import('../actions.js').KeyFor} keyFor
 */
async function saveShares(page, split, keyFor) {
  const changes = changedShares(split);
  if (changes.length === 0) return '没有需要保存的改动。';
  changes.sort((a, b) => a.delta - b.delta);
  for (const change of changes) await putShare(page, split, change, keyFor);
  await page.reload();
  return `已保存 ${changes.length} 所学校的分解数。`;
}

/**
 * The shares whose inputs differ from what is saved; a figure that is no figure refuses the save.
 * @param {Split} split
 * @returns {Change[]}
 */
function changedShares({ inputs, shares }) {
  const changes = [];
  for (const [code, row] of inputs) {
    /** @type {Record<string, string>} */
    const errors = {};
    const payload = bySplit((m) => {
      const { value, error } = parseFigure(row[m].input.value || '0');
      if (error) errors[`${code}.${m}`] = error;
      return value ?? 0;
    });
    if (Object.keys(errors).length) throw localError('请先改正标红的数字', errors);
    const old = shares.get(code) ?? { training: 0, certified: 0, onePlusX: 0 };
    const delta = SPLIT.reduce((d, m) => d + payload[m] - old[m], 0);
    if (SPLIT.some((m) => payload[m] !== old[m])) changes.push({ code, payload, delta });
  }
  return changes;
}

/**
 * One school's share; a refusal names the school and points at its row's inputs.
 * @param {SplitPage} page
 * @param {Split} split
 * @param {Change} change
 * @param {import('../actions.js').KeyFor} keyFor
 */
async function putShare(page, split, { code, payload }, keyFor) {
  try {
    const res = await api.put(`${page.base}/schools/${encodeURIComponent(code)}`, payload, {
      etag: split.state.etag,
      key: keyFor({ code, payload }),
    });
    split.state.etag = res.etag;
    split.shares.set(code, payload);
  } catch (error) {
    if (error instanceof ApiError) {
      const name = split.rows.find((r) => r.code === code)?.name ?? code;
      if (error.detail) error.detail = `${name}：${error.detail}`;
      error.errors = error.errors.map((e) => ({
        ...e,
        field: `${code}.${String(e.field).split('.').pop()}`,
      }));
    }
    throw error;
  }
}

/**
 * What a region may do with its split: build and publish it, then keep it alive; nothing once closed.
 * @param {SplitPage} page
 * @param {Split} split
 * @param {HTMLButtonElement} save
 * @param {string | null} etag the ETag of the split as loaded
 */
function tools(page, split, save, etag) {
  const { notice, reload, base, region } = page;
  if (page.ctx.closed) return null;
  if (split.state.draft) {
    const dirty = () =>
      [...split.inputs].some(([code, row]) =>
        SPLIT.some(
          (m) => parseFigure(row[m].input.value || '0').value !== (split.shares.get(code)?.[m] ?? 0),
        ),
      );
    return draftTools({ state: split.state, save, dirty, notice, reload, base, region });
  }
  const after = { etag, schools: split.rows, shares: split.shares, notice, reload, base };
  return h('div', {}, transferForm(after), changeForm(after));
}
