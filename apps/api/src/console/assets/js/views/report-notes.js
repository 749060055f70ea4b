// @ts-check
// What the form leaves for words beneath it: the API's warnings, the months the cumulative leaves out,
// and a task changed after the leader signed (API.md v1.1).
import { h } from '../dom.js';
import { METRICS } from '../format.js';

/** @typedef {import('../types.js').Report} Report */

/**
 * The API's warnings as a list under the form, in plain Chinese, with what the year's rules add.
 * @param {Report} report
 */
export function warningList(report) {
  const warnings = [...(report.warnings ?? []).map((w) => w.message), ...yearNotes(report)];
  if (warnings.length === 0) return null;
  return h(
    'div',
    { class: 'notice warn', 'data-testid': 'warnings' },
    h('b', {}, '请注意：'),
    h(
      'ul',
      {},
      warnings.map((w) => h('li', {}, w)),
    ),
  );
}

/**
 * Months the cumulative leaves out, and a task that changed after the leader signed.
 * @param {Report} report
 */
function yearNotes(report) {
  const notes = [];
  const pending = report.pendingEarlier ?? [];
  if (pending.length > 0) {
    const months = pending.map((p) => `${Number(p.slice(5, 7))}月`).join('、');
    notes.push(`累计数未含 ${months} 的数据：这些月份已报送，尚待审核确认。`);
  }
  const signed = report.signedForm;
  if (signed && ['submitted', 'accepted'].includes(report.status)) {
    const changed = METRICS.filter((m) => m in report.annual && signed.annual[m] !== report.annual[m]);
    if (changed.length > 0)
      notes.push('签字后年度任务已调整：打印的报表仍按签字时的年度任务和完成率，现任务见上表。');
  }
  return notes;
}
