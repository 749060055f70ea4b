// @ts-check
// A region's own form (DESIGN.md, item 6 of issue 14): beside each figure the month's official sums of
// its schools, and one click that copies them into the region's inputs. The region still saves and signs
// its own figures, so the copy only fills the inputs: nothing is recorded until the user saves.
import { h } from '../dom.js';
import { METRICS, num, SHORT_METRIC } from '../format.js';

/** @typedef {import('../types.js').Report} Report */
/** @typedef {import('../types.js').Metric} Metric */

/**
 * Only a region's report carries `schoolsSum`; it is null while the region has no school.
 * @param {Report} report
 */
export const hasSchoolsSum = (report) => !!report.schoolsSum;

export const schoolsSumHeading = () => h('th', { class: 'num no-print' }, '所属学校合计（已审核）');

/**
 * The schools' sum of one metric, with a word (not only a colour) when the region's figure differs.
 * `compare(figure)` updates that word as the region types.
 * @param {Report} report
 * @param {Metric} metric
 */
export function schoolsSumCell(report, metric) {
  const sum = report.schoolsSum?.[metric] ?? null;
  const differs = h('div', { class: 'hint warn' });
  const cell = h(
    'td',
    { class: 'num schools no-print', 'data-label': '所属学校合计（已审核）', dataset: { schools: metric } },
    num(sum),
    differs,
  );
  /** @param {number | null | undefined} figure */
  const compare = (figure) => {
    differs.textContent = figure !== null && figure !== undefined && figure !== sum ? '与本级填报数不同' : '';
  };
  return Object.assign(cell, { compare });
}

/**
 * The copy button and the words that say what it did. `inputs`: the form's inputs by metric; `after`:
 * what typing would do (recompute the cumulative, mark the form unsaved).
 * @param {Report} report
 * @param {Record<Metric, HTMLElement>} inputs
 * @param {() => void} after
 */
export function copySchoolsSum(report, inputs, after) {
  const said = h('span', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const sumOf = (/** @type {Metric} */ m) => num(report.schoolsSum?.[m]);
  const sums = METRICS.map((m) => `${SHORT_METRIC[m]} ${sumOf(m)}`).join('，');
  const copy = h(
    'button',
    {
      type: 'button',
      'data-testid': 'copy-schools-sum',
      on: {
        click: () => {
          for (const m of METRICS) {
            const input = inputs[m];
            if (input instanceof HTMLInputElement) input.value = sumOf(m);
          }
          after();
          said.textContent = `已填入所属学校合计（${sums}），尚未保存：请核对后点“保存”，再签字。`;
        },
      },
    },
    '采用学校合计',
  );
  return h(
    'div',
    { class: 'schools-sum-copy no-print', 'data-testid': 'schools-sum-copy' },
    h(
      'p',
      { class: 'muted' },
      '“所属学校合计”是本月已审核通过的所属学校数字之和。本级数字由本单位填报并签字；可一键采用学校合计，再按实际核对修改。',
    ),
    h('div', { class: 'row' }, copy, said),
  );
}
