// A region's split of its task among its schools (分解下达), with what remains always in view.
import { bindAction, localError } from '../actions.js';
import { api } from '../api.js';
import { describedBy, field, h, mount, noticeBox, option, say } from '../dom.js';
import { num, parseFigure, SHORT_METRIC } from '../format.js';
import { changeForm } from './allocation-change.js';
import { draftTools } from './allocation-draft.js';
import { transferForm } from './allocation-transfer.js';

const SPLIT = ['training', 'certified', 'onePlusX'];

export async function render(root, ctx) {
  const region = ctx.me.unitCode;
  const base = `/api/v1/plans/${ctx.year}/regions/${encodeURIComponent(region)}/allocation`;
  const notice = noticeBox();
  const body = h('div');
  mount(root, h('h1', {}, `${ctx.unit.name} · ${ctx.year} 年度任务分解`), notice, body);

  async function reload() {
    const [{ data: allocation, etag }, { data: schools }] = await Promise.all([
      api.get(base),
      api.get(`/api/v1/units?parent=${encodeURIComponent(region)}`),
    ]);
    const shares = new Map(allocation.schools.map((s) => [s.code, s.quota]));
    const rows = schools.filter((s) => s.kind === 'city-secondary');
    const draft = allocation.status === 'draft';
    // A closed year shows its split as it stands: no inputs, no publishing, transfers or changes.
    const editable = draft && !ctx.closed;
    const summary = h('div', { class: 'card sticky', 'data-testid': 'remaining' });
    const inputs = new Map();

    const typedTotals = () => {
      const totals = { ...allocation.allocated };
      for (const [code, row] of inputs) {
        for (const m of SPLIT) {
          const { value } = parseFigure(row[m].value);
          totals[m] += (value ?? 0) - (shares.get(code)?.[m] ?? 0);
        }
      }
      return totals;
    };
    const showSummary = () => {
      const allocated = draft ? typedTotals() : allocation.allocated;
      mount(
        summary,
        h(
          'div',
          { class: 'summary' },
          h(
            'div',
            { class: 'stat' },
            '状态',
            h(
              'b',
              {},
              h('span', { class: `badge ${allocation.status}` }, draft ? '草稿（未下达）' : '已下达'),
            ),
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
        editable
          ? h('p', { class: 'muted' }, '剩余数随输入即时变化（含尚未保存的输入）；全部剩余为 0 后才能下达。')
          : null,
      );
    };

    const fieldsOf = new Map();
    const table = h(
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
        rows.length === 0
          ? h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '还没有登记所属学校，请先在下方登记。'))
          : null,
        rows.map((school) => {
          const share = shares.get(school.code);
          if (!editable)
            return h(
              'tr',
              {},
              h('td', {}, school.name),
              SPLIT.map((m) => h('td', { class: 'num' }, num(share?.[m] ?? 0))),
            );
          const row = {};
          const fields = {};
          for (const m of SPLIT) {
            row[m] = h('input', {
              class: 'figure',
              name: m,
              value: share ? num(share[m]) : '',
              placeholder: '0',
              inputmode: 'numeric',
              'aria-label': `${school.name}：${SHORT_METRIC[m]}`,
              on: { input: showSummary },
            });
            fields[m] = { input: row[m], hint: describedBy(row[m]) };
          }
          inputs.set(school.code, row);
          fieldsOf.set(school.code, fields);
          return h(
            'tr',
            { dataset: { school: school.code } },
            h('td', {}, school.name),
            SPLIT.map((m) => h('td', { class: 'num' }, row[m], fields[m].hint)),
          );
        }),
      ),
    );
    const state = { etag, draft };
    const dirty = () =>
      [...inputs].some(([code, row]) =>
        SPLIT.some((m) => parseFigure(row[m].value || '0').value !== (shares.get(code)?.[m] ?? 0)),
      );
    const save = h(
      'button',
      { class: 'primary', type: 'button', 'data-testid': 'save-shares' },
      '保存分解数',
    );
    bindAction(save, {
      notice,
      fields: Object.fromEntries(
        [...fieldsOf].flatMap(([code, f]) => SPLIT.map((m) => [`${code}.${m}`, f[m]])),
      ),
      reload,
      run: async (keyFor) => {
        const changes = [];
        for (const [code, row] of inputs) {
          const payload = {};
          const errors = {};
          for (const m of SPLIT) {
            const { value, error } = parseFigure(row[m].value || '0');
            payload[m] = value;
            if (error) errors[`${code}.${m}`] = error;
          }
          if (Object.keys(errors).length) throw localError('请先改正标红的数字', errors);
          const old = shares.get(code) ?? { training: 0, certified: 0, onePlusX: 0 };
          const delta = SPLIT.reduce((d, m) => d + payload[m] - old[m], 0);
          if (SPLIT.some((m) => payload[m] !== old[m])) changes.push({ code, payload, delta });
        }
        if (changes.length === 0) return '没有需要保存的改动。';
        // Decreases first, so moving quota between schools never passes through a sum above the task.
        changes.sort((a, b) => a.delta - b.delta);
        for (const { code, payload } of changes) {
          try {
            const res = await api.put(`${base}/schools/${encodeURIComponent(code)}`, payload, {
              etag: state.etag,
              key: keyFor({ code, payload }),
            });
            state.etag = res.etag;
            shares.set(code, payload);
          } catch (error) {
            const name = rows.find((r) => r.code === code)?.name ?? code;
            if (error.detail) error.detail = `${name}：${error.detail}`;
            error.errors = (error.errors ?? []).map((e) => ({
              ...e,
              field: `${code}.${String(e.field).split('.').pop()}`,
            }));
            throw error;
          }
        }
        await reload();
        return `已保存 ${changes.length} 所学校的分解数。`;
      },
    });
    showSummary();
    mount(body, summary, table, tools({ state, save, dirty, etag, rows, shares }));
  }

  /** What a region may do with its split: build and publish it, then keep it alive; nothing once closed. */
  function tools({ state, save, dirty, etag, rows, shares }) {
    if (ctx.closed) return null;
    if (state.draft) return draftTools({ state, save, dirty, notice, reload, base, region });
    const after = { etag, schools: rows, shares, notice, reload, base };
    return h('div', {}, transferForm(after), changeForm(after));
  }

  try {
    await reload();
  } catch (error) {
    say(notice, 'error', error.message);
  }
}
