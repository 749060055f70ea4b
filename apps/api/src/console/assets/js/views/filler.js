// @ts-check
// The filler's page: this month's Annex 2 form, save, sign with name and phone, status, return reason, amend.
import { bindAction, downloadButton, localError } from '../actions.js';
import { api } from '../api.js';
import { field, h, messageOf, mount, noticeBox, say } from '../dom.js';
import { periodLabel, when } from '../format.js';
import { isPlanned, loadMonths, monthTable, pickMetric, reportPath, unitPaceChart } from './months.js';
import { warningList } from './report-notes.js';
import { reportSheet } from './report-sheet.js';
import { mayUploadScan, scanCard, scanUploader } from './scan.js';

/** @typedef {import('../types.js').Report} Report */
/** @typedef {import('../types.js').Month} Month */
/** @typedef {import('../types.js').ViewContext} ViewContext */
/**
 * What every part of the page works with.
 * @typedef {object} FillerPage
 * @property {ViewContext} ctx
 * @property {string} unit the filler's unit code
 * @property {HTMLElement} notice
 * @property {HTMLElement} body
 * @property {() => Promise<void>} reload draws the year and the chosen month again from the API
 */
/**
 * The month on screen: its report, the ETag a command sends back, and the report's path.
 * @typedef {{ report: Report, etag: string | null, path: string }} Shown
 */

/** @type {import('../types.js').ReportStatus[]} */
const EDITABLE = ['not-started', 'draft', 'signed-by-filler'];

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  const notice = noticeBox();
  const body = h('div');
  mount(root, h('h1', {}, `${ctx.unit.name} · 月报填报`), notice, body);
  /** @type {FillerPage} */
  const page = { ctx, unit: ctx.me.unitCode, notice, body, reload: () => drawYear(page) };
  try {
    await page.reload();
  } catch (error) {
    say(notice, 'error', messageOf(error));
  }
}

/** @param {FillerPage} page */
async function drawYear(page) {
  const { ctx, unit, body } = page;
  const months = await loadMonths(unit, ctx.year, ctx.context);
  const open = months.filter(isPlanned);
  if (open.length === 0) {
    mount(
      body,
      h('p', { class: 'notice warn' }, `${ctx.year} 年度计划尚未发布，或本单位不在计划中，暂时无法填报。`),
    );
    return;
  }
  const period =
    ctx.params.period && open.some((m) => m.period === ctx.params.period)
      ? ctx.params.period
      : open[open.length - 1].period;
  /** @type {import('../api.js').Answer<Report>} */
  const res = await api.get(reportPath(unit, period));
  mount(
    body,
    h(
      'div',
      { class: 'cols', style: 'grid-template-columns: 300px 1fr' },
      yearColumn(page, months, period),
      monthPanel(page, { report: res.data, etag: res.etag, path: reportPath(unit, res.data.period) }),
    ),
  );
}

/**
 * The year's months to pick from, and the cumulative progress chart.
 * @param {FillerPage} page
 * @param {Month[]} months
 * @param {string} period
 */
function yearColumn(page, months, period) {
  return h(
    'div',
    { class: 'no-print' },
    h(
      'div',
      { class: 'card' },
      h('h2', {}, '本年度各月'),
      monthTable(months, period, (p) => page.ctx.go({ period: p })),
    ),
    unitPaceChart(months, pickMetric(months)),
  );
}

/**
 * The chosen month: return reason, status, the form as its state allows, the sealed form, print.
 * @param {FillerPage} page
 * @param {Shown} shown
 */
function monthPanel(page, shown) {
  const { report, path } = shown;
  const { notice, reload } = page;
  const parts = [];
  if (report.returnReason) {
    parts.push(
      h(
        'div',
        { class: 'notice error', 'data-testid': 'return-reason' },
        `审核退回（${when(report.returnedAt)}）：${report.returnReason}。请修改后重新保存并签字。`,
      ),
    );
  }
  parts.push(statusLine(report));
  // A closed year is read-only: the form as it stands, with no command the API would refuse.
  const open = !page.ctx.closed;
  if (open && EDITABLE.includes(report.status)) parts.push(...editForm(page, shown));
  else if (open && report.status === 'accepted') parts.push(...acceptedForm(page, shown));
  else parts.push(reportSheet(report).el, warningList(report));
  if (report.scan) parts.push(scanCard(report, path, { notice }));
  if (open && mayUploadScan(report)) parts.push(scanUploader(report, path, { notice, reload }));
  parts.push(printRow(page.unit, report.period, path, notice));
  return h('div', {}, parts);
}

/**
 * @param {string} unit
 * @param {string} period
 * @param {string} path
 * @param {HTMLElement} notice
 */
function printRow(unit, period, path, notice) {
  return h(
    'div',
    { class: 'row no-print', style: 'margin-top:10px' },
    h('button', { type: 'button', on: { click: () => window.print() } }, '打印本表'),
    downloadButton('下载 Excel 表', `${path}/form.xlsx`, `${unit}-${period}-月报表.xlsx`, notice),
    downloadButton('下载网页版表格', `${path}/form.html`, `${unit}-${period}-月报表.html`, notice),
  );
}

/**
 * A draft (or a month not started): the form's inputs, a note, save, then the filler's signature.
 * @param {FillerPage} page
 * @param {Shown} shown
 */
function editForm(page, shown) {
  const { report } = shown;
  // Typed but not saved: signing then would sign figures the server does not hold.
  const typed = { dirty: false };
  const sheet = reportSheet(report, { editable: true, onInput: () => (typed.dirty = true) });
  const note = field(
    '备注',
    h(
      'textarea',
      { name: 'note', placeholder: '如 1+X 证书人数大于取证人数等情况，请在此说明' },
      report.note ?? '',
    ),
  );
  note.input.addEventListener('input', () => (typed.dirty = true));
  const save = saveButton(page, shown, sheet, note);
  const signed = report.status === 'signed-by-filler';
  return [
    sheet.el,
    h(
      'div',
      { class: 'card no-print' },
      note,
      warningList(report),
      h(
        'div',
        { class: 'row' },
        save,
        signed ? h('span', { class: 'muted' }, '您已签字；如再修改数字，签字将作废，需要重新签字。') : null,
      ),
    ),
    signed ? null : signCard(page, shown, () => typed.dirty),
  ];
}

/**
 * @param {FillerPage} page
 * @param {Shown} shown
 * @param {import('./report-sheet.js').Sheet} sheet
 * @param {import('../dom.js').Hinted & { input: HTMLTextAreaElement }} note
 */
function saveButton(page, { report, etag, path }, sheet, note) {
  const save = h('button', { class: 'primary', type: 'button', 'data-testid': 'save' }, '保存');
  return bindAction(save, {
    notice: page.notice,
    fields: { ...sheet.fields, note },
    reload: page.reload,
    run: async (keyFor) => {
      const { figures, errors } = sheet.read();
      if (Object.keys(errors).length > 0) throw localError('请先改正标红的数字', errors);
      const text = note.input.value.trim();
      const payload = { figures, ...(text ? { note: text } : {}) };
      await api.put(path, payload, { etag, key: keyFor(payload) });
      await page.reload();
      return report.status === 'signed-by-filler'
        ? '已保存。数字有改动，原有签字已作废，请重新签字。'
        : '已保存。核对无误后请签字。';
    },
  });
}

/**
 * The filler's name and phone, and the button that signs what was saved.
 * @param {FillerPage} page
 * @param {Shown} shown
 * @param {() => boolean} dirty whether the form holds figures typed since the last save
 */
function signCard(page, { report, etag, path }, dirty) {
  const name = h('input', {
    name: 'name',
    autocomplete: 'name',
    value: report.signatures?.filler?.name ?? '',
  });
  const phone = h('input', {
    name: 'phone',
    autocomplete: 'tel',
    value: report.signatures?.filler?.phone ?? '',
  });
  const fields = { name: field('填报人姓名', name), phone: field('联系电话', phone) };
  const sign = h('button', { class: 'primary', type: 'button', 'data-testid': 'sign' }, '签字确认');
  bindAction(sign, {
    notice: page.notice,
    fields,
    reload: page.reload,
    run: async (keyFor) => {
      if (dirty()) throw localError('您修改的内容还没有保存，请先点“保存”，再签字。');
      if (!report.figures) throw localError('请先填写并保存本月数字，再签字。');
      const payload = { name: name.value.trim(), phone: phone.value.trim() };
      await api.post(`${path}/signatures`, payload, { etag, key: keyFor(payload) });
      await page.reload();
      return '已签字，等待本单位领导小组组长签字后即提交审核。';
    },
  });
  return h(
    'div',
    { class: 'card no-print' },
    h('h2', {}, '填报人签字'),
    h('div', { class: 'row' }, fields.name, fields.phone, sign),
  );
}

/**
 * An accepted month: the official form, and a button that opens an amendment (a new revision).
 * @param {FillerPage} page
 * @param {Shown} shown
 */
function acceptedForm(page, shown) {
  const official = reportSheet(shown.report);
  const toggle = h('button', { type: 'button' }, '修改已通过的报表…');
  const holder = h('div');
  toggle.addEventListener('click', () => {
    toggle.remove();
    mount(holder, amendCard(page, shown));
  });
  return [
    official.el,
    warningList(shown.report),
    h('div', { class: 'no-print', style: 'margin-top:10px' }, toggle),
    holder,
  ];
}

/**
 * @param {FillerPage} page
 * @param {Shown} shown
 */
function amendCard(page, { report, etag, path }) {
  const sheet = reportSheet(report, { editable: true });
  const reason = h('textarea', { name: 'reason', placeholder: '请写明修改原因，例如：补录漏报的校外培训' });
  const reasonField = field('修改原因（必填）', reason);
  const submit = h('button', { class: 'primary', type: 'button' }, '提交修改');
  bindAction(submit, {
    notice: page.notice,
    fields: { ...sheet.fields, reason: reasonField },
    reload: page.reload,
    run: async (keyFor) => {
      const { figures, errors } = sheet.read();
      if (Object.keys(errors).length > 0) throw localError('请先改正标红的数字', errors);
      const payload = { figures, reason: reason.value.trim() };
      await api.post(`${path}/amendments`, payload, { etag, key: keyFor(payload) });
      await page.reload();
      return '已生成新的版本（草稿）。原已通过的数字在新版本通过前继续有效。请核对后签字。';
    },
  });
  return h('div', { class: 'card no-print' }, h('h2', {}, '修改已通过的报表'), sheet.el, reasonField, submit);
}

/** @param {Report} report */
function statusLine(report) {
  const text = {
    'not-started': `${periodLabel(report.period)}的月报还没有填写。`,
    draft: '草稿：保存后请签字。',
    'signed-by-filler': '您已签字，等待本单位领导小组组长签字。',
    submitted: `已于 ${when(report.submittedAt)} 提交，等待审核。`,
    accepted: `已审核通过（${when(report.official?.acceptedAt)}），数字已锁定；如需更正请提出修改。`,
  }[report.status];
  return h('div', { class: 'notice info no-print' }, text ?? '');
}
