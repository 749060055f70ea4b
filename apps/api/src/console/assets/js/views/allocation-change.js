// @ts-check
// 任务分解, after publishing: change one school's share with a reason (API.md v1.1, a split that lives).
import { bindAction, localError } from '../actions.js';
import { api } from '../api.js';
import { field, h, option } from '../dom.js';
import { bySplit, num, parseFigure, SHORT_METRIC, SPLIT } from '../format.js';

/**
 * What the forms of a published split work with.
 * @typedef {object} Published
 * @property {string | null} etag the split's, as loaded
 * @property {import('../types.js').Unit[]} schools the region's schools
 * @property {Map<string, import('../types.js').Share>} shares each school's share, by code
 * @property {HTMLElement} notice
 * @property {() => Promise<void>} reload
 * @property {string} base the allocation's path
 */

/**
 * After publishing a share still changes (a raise to assign, a school opened later), always with a reason.
 * @param {Published} published
 */
export function changeForm({ etag, schools, shares, notice, reload, base }) {
  const school = h(
    'select',
    { name: 'school' },
    schools.map((s) => option(s.code, `${s.name}（${s.code}）`)),
  );
  const inputs = bySplit((m) => h('input', { name: m, class: 'figure', inputmode: 'numeric' }));
  const fill = () => {
    for (const m of SPLIT) inputs[m].value = num(shares.get(school.value)?.[m] ?? 0);
  };
  school.addEventListener('change', fill);
  fill();
  const reason = h('input', { name: 'reason', style: 'width:300px', placeholder: '修改原因（必填）' });
  const fields = {
    school: field('学校', school),
    ...bySplit((m) => field(SHORT_METRIC[m], inputs[m])),
    reason: field('修改原因', reason),
  };
  const submit = h('button', { class: 'primary', type: 'button', 'data-testid': 'change-share' }, '修改任务');
  bindAction(submit, {
    notice,
    fields,
    reload,
    run: async (keyFor) => {
      const text = reason.value.trim();
      // The API refuses a change without one (ALLOCATION_PUBLISHED); saying so here points at the field.
      if (!text) throw localError('修改已下达的任务必须写明原因', { reason: '请填写修改原因' });
      const payload = { reason: text, ...bySplit((m) => figureOf(inputs[m], m)) };
      const code = school.value;
      await api.put(`${base}/schools/${encodeURIComponent(code)}`, payload, { etag, key: keyFor(payload) });
      await reload();
      return `已修改 ${code} 的任务。`;
    },
  });
  return h(
    'div',
    { class: 'card no-print' },
    h('h2', {}, '修改已下达的任务（新校、调增任务）'),
    h('p', { class: 'muted' }, '任务不能低于学校已完成数；省里调增的任务在“剩余”中显示，分配后归零。'),
    h('div', { class: 'row' }, ...Object.values(fields), submit),
  );
}

/**
 * @param {HTMLInputElement} input
 * @param {string} name the field a refusal is shown under
 */
function figureOf(input, name) {
  const parsed = parseFigure(input.value || '0');
  if (parsed.error !== null) throw localError('请改正标红的数字', { [name]: parsed.error });
  return parsed.value;
}
