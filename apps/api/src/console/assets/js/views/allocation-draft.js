// @ts-check
// 任务分解 while a draft: publish the split (下达) and register the region's schools.
import { bindAction, localError } from '../actions.js';
import { api } from '../api.js';
import { field, h } from '../dom.js';

/**
 * Publishing needs every share saved first; registering a school gives the table a new row.
 * @param {object} draft
 * @param {{ etag: string | null }} draft.state holds the split's current ETag
 * @param {HTMLButtonElement} draft.save the 保存分解数 button, placed beside 下达
 * @param {() => boolean} draft.dirty whether the table holds unsaved input
 * @param {HTMLElement} draft.notice
 * @param {() => Promise<void>} draft.reload
 * @param {string} draft.base the allocation's path
 * @param {string} draft.region
 */
export function draftTools({ state, save, dirty, notice, reload, base, region }) {
  const publish = h(
    'button',
    { class: 'primary', type: 'button', 'data-testid': 'publish' },
    '下达（发布）分解方案',
  );
  bindAction(publish, {
    notice,
    reload,
    run: async (keyFor) => {
      if (dirty()) throw localError('表中有尚未保存的分解数，请先点“保存分解数”，再下达。');
      await api.post(`${base}/publish`, undefined, { etag: state.etag, key: keyFor('publish') });
      await reload();
      return '分解方案已下达。此后调整请使用“调剂”，并写明原因。';
    },
  });
  const code = h('input', { name: 'code', placeholder: `如 ${region}-S01` });
  const name = h('input', { name: 'name', placeholder: '学校全称', style: 'width:260px' });
  const fields = { code: field('学校代码', code), name: field('学校名称', name) };
  const register = h('button', { type: 'button' }, '登记学校');
  bindAction(register, {
    notice,
    fields,
    reload,
    run: async (keyFor) => {
      const payload = {
        code: code.value.trim(),
        name: name.value.trim(),
        kind: 'city-secondary',
        parentCode: region,
      };
      await api.post('/api/v1/units', payload, { key: keyFor(payload) });
      await reload();
      return `已登记 ${payload.name}。`;
    },
  });
  return h(
    'div',
    { class: 'no-print' },
    h('div', { class: 'row', style: 'margin:12px 0' }, save, publish),
    h(
      'div',
      { class: 'card' },
      h('h2', {}, '登记所属中职学校'),
      h('div', { class: 'row' }, fields.code, fields.name, register),
    ),
  );
}
