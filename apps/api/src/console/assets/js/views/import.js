// @ts-check
// Imports: the year's plan (CSV or xlsx) with every bad row listed, and the skilled-talent platform's figures.
import { bindAction, localError } from '../actions.js';
import { ApiError, request } from '../api.js';
import { field, h, mount, noticeBox, option } from '../dom.js';
import { METRICS, num, periodLabel, periodsOf, SHORT_METRIC } from '../format.js';

/** @typedef {import('../types.js').ViewContext} ViewContext */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** @type {Record<string, string>} */
const COLUMN_NAMES = {
  code: '单位代码',
  name: '单位名称',
  kind: '单位类型',
  training: '培训任务',
  certified: '取证人数',
  advanced: '高级工及以上',
  onePlusX: '1+X 证书',
  unitCode: '单位代码',
};

/** @param {File} file */
const typeOf = (file) => (/\.xlsx$/i.test(file.name) ? XLSX : 'text/csv');

/**
 * `row5.training` → 第 5 行「培训任务」; `units[3].quota.advanced` → 第 4 个单位「高级工及以上」.
 * @param {string | undefined} name
 */
export function describeField(name) {
  const row = /^row(\d+)(?:\.(\w+))?$/.exec(name ?? '');
  if (row) return { row: `第 ${row[1]} 行`, column: COLUMN_NAMES[row[2]] ?? row[2] ?? '（整行）' };
  const unit = /^units\[(\d+)\](?:\.(?:quota\.)?(\w+))?$/.exec(name ?? '');
  if (unit)
    return { row: `第 ${Number(unit[1]) + 1} 个单位`, column: COLUMN_NAMES[unit[2]] ?? unit[2] ?? '' };
  return { row: '', column: COLUMN_NAMES[name ?? ''] ?? name ?? '' };
}

/**
 * Every bad row and column of a refused file, as a table; null when the refusal lists none.
 * @param {unknown} error
 */
function badRows(error) {
  if (!(error instanceof ApiError) || error.errors.length === 0) return null;
  return h(
    'table',
    { 'data-testid': 'bad-rows' },
    h('thead', {}, h('tr', {}, h('th', {}, '位置'), h('th', {}, '列'), h('th', {}, '问题'))),
    h(
      'tbody',
      {},
      error.errors.map((e) => {
        const where = describeField(e.field);
        return h('tr', {}, h('td', {}, where.row), h('td', {}, where.column), h('td', {}, e.message));
      }),
    ),
  );
}

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  mount(root, h('h1', {}, '导入'), planCard(ctx), platformCard(ctx));
}

/** @param {ViewContext} ctx */
function planCard(ctx) {
  const notice = noticeBox();
  const result = h('div');
  const year = h('input', {
    name: 'year',
    value: String(ctx.year),
    style: 'width:90px',
    inputmode: 'numeric',
  });
  const file = h('input', { name: 'file', type: 'file', accept: '.csv,.xlsx,text/csv' });
  const fields = { year: field('计划年度', year), file: field('计划文件（CSV 或 xlsx）', file) };
  const submit = h(
    'button',
    { class: 'primary', type: 'button', 'data-testid': 'import-plan' },
    '导入并发布计划',
  );
  bindAction(submit, {
    notice,
    fields,
    busy: '正在导入…',
    run: async (keyFor) => {
      mount(result);
      const chosen = file.files?.[0];
      if (!chosen) throw localError('请选择计划文件', { file: '请选择 CSV 或 xlsx 文件' });
      if (!/^\d{4}$/.test(year.value.trim())) throw localError('年度应为四位数字', { year: '例如 2024' });
      return importPlan(year.value.trim(), chosen, keyFor, result);
    },
  });
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, '导入年度计划（附件 1）'),
    h(
      'p',
      { class: 'muted' },
      '表头：code,name,kind,training,certified,advanced,onePlusX；空单元格或“—”表示未分配任务。Excel 另存的 GBK 编码 CSV 也可以。',
    ),
    h('div', { class: 'row' }, fields.year, fields.file, submit),
    notice,
    result,
  );
}

/**
 * Sends the plan file; shows the plan's totals, or every bad row when it is refused.
 * @param {string} year
 * @param {File} chosen
 * @param {import('../actions.js').KeyFor} keyFor
 * @param {HTMLElement} result
 */
async function importPlan(year, chosen, keyFor, result) {
  try {
    /** @type {import('../api.js').Answer<import('../types.js').PlanImport>} */
    const { data } = await request('PUT', `/api/v1/plans/${year}`, {
      body: chosen,
      type: typeOf(chosen),
      key: keyFor(chosen),
    });
    mount(result, planTotals(data));
    return `${data.year} 年度计划已导入（第 ${data.version} 版），共 ${data.units} 个单位。同一文件再次导入不会重复记录。`;
  } catch (error) {
    const table = badRows(error);
    if (table && error instanceof ApiError)
      mount(
        result,
        h('p', {}, `共 ${error.errors.length} 处错误，下列各行都需改正，本次没有导入任何数据：`),
        table,
      );
    throw error;
  }
}

/** @param {import('../types.js').PlanImport} data */
function planTotals(data) {
  return h(
    'table',
    { 'data-testid': 'plan-totals' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '单位数'),
        METRICS.map((m) => h('th', { class: 'num' }, SHORT_METRIC[m])),
      ),
    ),
    h(
      'tbody',
      {},
      h(
        'tr',
        {},
        h('td', {}, data.units),
        METRICS.map((m) => h('td', { class: 'num' }, num(data.totals[m]))),
      ),
    ),
  );
}

/** @param {ViewContext} ctx */
function platformCard(ctx) {
  const notice = noticeBox();
  const period = h(
    'select',
    { name: 'period' },
    periodsOf(ctx.year).map((p) => option(p, periodLabel(p), p === ctx.context.period)),
  );
  const file = h('input', { name: 'file', type: 'file', accept: '.csv,text/csv' });
  const fields = {
    period: field('月份', period),
    file: field('平台导出文件（CSV：unitCode,training）', file),
  };
  const result = h('div');
  const submit = h('button', { class: 'primary', type: 'button' }, '导入平台数据');
  bindAction(submit, {
    notice,
    fields,
    busy: '正在导入…',
    run: async (keyFor) => {
      mount(result);
      const chosen = file.files?.[0];
      if (!chosen) throw localError('请选择平台导出的 CSV 文件', { file: '请选择文件' });
      try {
        await request('PUT', `/api/v1/plans/${ctx.year}/platform-figures/${period.value}`, {
          body: chosen,
          type: 'text/csv',
          key: keyFor(chosen),
        });
        return `已导入 ${periodLabel(period.value)}的平台数据；在“全省总览”中可看到与月报数字的差异。`;
      } catch (error) {
        const table = badRows(error);
        if (table) mount(result, table);
        throw error;
      }
    },
  });
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, '导入技能人才平台数据（用于核对培训人次）'),
    h('div', { class: 'row' }, fields.period, fields.file, submit),
    notice,
    result,
  );
}
