// @ts-check
// 任务分解, after publishing: move quota from one school to another, with a reason.
import { bindAction, localError } from '../actions.js';
import { api } from '../api.js';
import { field, h, option } from '../dom.js';
import { num, parseFigure, SHORT_METRIC, SPLIT } from '../format.js';

/**
 * The receiving school may be any school of the region, also one that holds no share yet.
 * @param {import('./allocation-change.js').Published} published
 */
export function transferForm({ etag, schools, shares, notice, reload, base }) {
  /** @param {string} name */
  const pick = (name) =>
    h(
      'select',
      { name },
      schools.map((s) => option(s.code, `${s.name}（${s.code}）`)),
    );
  const from = pick('from');
  const to = pick('to');
  if (schools[1]) to.value = schools[1].code;
  const metric = h(
    'select',
    { name: 'metric' },
    SPLIT.map((m) => option(m, SHORT_METRIC[m])),
  );
  const amount = h('input', { name: 'amount', class: 'figure', inputmode: 'numeric' });
  const reason = h('input', { name: 'reason', style: 'width:300px', placeholder: '调剂原因（必填）' });
  const fields = {
    from: field('调出学校', from),
    to: field('调入学校', to),
    metric: field('指标', metric),
    amount: field('数量', amount),
    reason: field('调剂原因', reason),
  };
  const held = heldLine(shares, from, metric);
  const submit = h('button', { class: 'primary', type: 'button' }, '调剂');
  bindAction(submit, {
    notice,
    fields,
    reload,
    run: async (keyFor) => {
      const parsed = parseFigure(amount.value);
      if (parsed.error) throw localError('请改正调剂数量', { amount: parsed.error });
      const payload = {
        from: from.value,
        to: to.value,
        metric: metric.value,
        amount: parsed.value,
        reason: reason.value.trim(),
      };
      await api.post(`${base}/transfers`, payload, { etag, key: keyFor(payload) });
      await reload();
      return `已从 ${payload.from} 调剂 ${num(payload.amount)} 至 ${payload.to}。`;
    },
  });
  return h(
    'div',
    { class: 'card no-print' },
    h('h2', {}, '学校间调剂'),
    h('div', { class: 'row' }, fields.from, fields.to, fields.metric, fields.amount, fields.reason, submit),
    held,
  );
}

/**
 * What the giving school holds of the chosen metric, kept up to date as either select changes.
 * @param {Map<string, import('../types.js').Share>} shares
 * @param {HTMLSelectElement} from
 * @param {HTMLSelectElement} metric
 */
function heldLine(shares, from, metric) {
  const held = h('span', { class: 'muted' });
  const showHeld = () => {
    const m = SPLIT.find((x) => x === metric.value);
    held.textContent = `调出学校现有 ${num((m && shares.get(from.value)?.[m]) ?? 0)}`;
  };
  from.addEventListener('change', showHeld);
  metric.addEventListener('change', showHeld);
  showHeld();
  return held;
}
