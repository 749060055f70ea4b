// The filler's page: this month's Annex 2 form, save, sign with name and phone, status, return reason, amend.
import { bindAction, downloadButton, localError } from '../actions.js';
import { api } from '../api.js';
import { field, h, mount, noticeBox, say } from '../dom.js';
import { periodLabel, when } from '../format.js';
import { loadMonths, monthTable, pickMetric, reportPath, unitPaceChart } from './months.js';
import { warningList } from './report-notes.js';
import { reportSheet } from './report-sheet.js';
import { mayUploadScan, scanCard, scanUploader } from './scan.js';

const EDITABLE = ['not-started', 'draft', 'signed-by-filler'];

export async function render(root, ctx) {
  const unit = ctx.me.unitCode;
  const notice = noticeBox();
  const body = h('div');
  mount(root, h('h1', {}, `${ctx.unit.name} · 月报填报`), notice, body);

  async function reload() {
    const months = await loadMonths(unit, ctx.year, ctx.context);
    const open = months.filter((m) => !m.missingPlan);
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
    const res = await api.get(reportPath(unit, period));
    mount(
      body,
      h(
        'div',
        { class: 'cols', style: 'grid-template-columns: 300px 1fr' },
        h(
          'div',
          { class: 'no-print' },
          h(
            'div',
            { class: 'card' },
            h('h2', {}, '本年度各月'),
            monthTable(months, period, (p) => ctx.go({ period: p })),
          ),
          unitPaceChart(months, pickMetric(months)),
        ),
        monthPanel(res.data, res.etag),
      ),
    );
  }

  function monthPanel(report, etag) {
    const path = reportPath(unit, report.period);
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
    const open = !ctx.closed;
    if (open && EDITABLE.includes(report.status)) parts.push(...editForm(report, etag, path));
    else if (open && report.status === 'accepted') parts.push(...acceptedForm(report, etag, path));
    else parts.push(reportSheet(report).el, warningList(report));
    if (report.scan) parts.push(scanCard(report, path, { notice }));
    if (open && mayUploadScan(report)) parts.push(scanUploader(report, path, { notice, reload }));
    parts.push(
      h(
        'div',
        { class: 'row no-print', style: 'margin-top:10px' },
        h('button', { type: 'button', on: { click: () => window.print() } }, '打印本表'),
        downloadButton('下载 Excel 表', `${path}/form.xlsx`, `${unit}-${report.period}-月报表.xlsx`, notice),
        downloadButton('下载网页版表格', `${path}/form.html`, `${unit}-${report.period}-月报表.html`, notice),
      ),
    );
    return h('div', {}, parts);
  }

  function editForm(report, etag, path) {
    let dirty = false;
    const sheet = reportSheet(report, { editable: true, onInput: () => (dirty = true) });
    const note = h(
      'textarea',
      { name: 'note', placeholder: '如 1+X 证书人数大于取证人数等情况，请在此说明' },
      report.note ?? '',
    );
    note.addEventListener('input', () => (dirty = true));
    const noteField = field('备注', note);
    const fields = { ...sheet.fields, note: noteField };
    const save = h('button', { class: 'primary', type: 'button', 'data-testid': 'save' }, '保存');
    bindAction(save, {
      notice,
      fields,
      reload,
      run: async (keyFor) => {
        const { figures, errors } = sheet.read();
        if (Object.keys(errors).length > 0) throw localError('请先改正标红的数字', errors);
        const payload = { figures, ...(note.value.trim() ? { note: note.value.trim() } : {}) };
        await api.put(path, payload, { etag, key: keyFor(payload) });
        await reload();
        return report.status === 'signed-by-filler'
          ? '已保存。数字有改动，原有签字已作废，请重新签字。'
          : '已保存。核对无误后请签字。';
      },
    });

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
    const signFields = { name: field('填报人姓名', name), phone: field('联系电话', phone) };
    const sign = h('button', { class: 'primary', type: 'button', 'data-testid': 'sign' }, '签字确认');
    bindAction(sign, {
      notice,
      fields: signFields,
      reload,
      run: async (keyFor) => {
        if (dirty) throw localError('您修改的内容还没有保存，请先点“保存”，再签字。');
        if (!report.figures) throw localError('请先填写并保存本月数字，再签字。');
        const payload = { name: name.value.trim(), phone: phone.value.trim() };
        await api.post(`${path}/signatures`, payload, { etag, key: keyFor(payload) });
        await reload();
        return '已签字，等待本单位领导小组组长签字后即提交审核。';
      },
    });
    const signed = report.status === 'signed-by-filler';
    return [
      sheet.el,
      h(
        'div',
        { class: 'card no-print' },
        noteField,
        warningList(report),
        h(
          'div',
          { class: 'row' },
          save,
          signed ? h('span', { class: 'muted' }, '您已签字；如再修改数字，签字将作废，需要重新签字。') : null,
        ),
      ),
      signed
        ? null
        : h(
            'div',
            { class: 'card no-print' },
            h('h2', {}, '填报人签字'),
            h('div', { class: 'row' }, signFields.name, signFields.phone, sign),
          ),
    ];
  }

  function acceptedForm(report, etag, path) {
    const official = reportSheet(report);
    const toggle = h('button', { type: 'button' }, '修改已通过的报表…');
    const holder = h('div');
    toggle.addEventListener('click', () => {
      toggle.remove();
      const sheet = reportSheet(report, { editable: true });
      const reason = h('textarea', {
        name: 'reason',
        placeholder: '请写明修改原因，例如：补录漏报的校外培训',
      });
      const reasonField = field('修改原因（必填）', reason);
      const submit = h('button', { class: 'primary', type: 'button' }, '提交修改');
      bindAction(submit, {
        notice,
        fields: { ...sheet.fields, reason: reasonField },
        reload,
        run: async (keyFor) => {
          const { figures, errors } = sheet.read();
          if (Object.keys(errors).length > 0) throw localError('请先改正标红的数字', errors);
          const payload = { figures, reason: reason.value.trim() };
          await api.post(`${path}/amendments`, payload, { etag, key: keyFor(payload) });
          await reload();
          return '已生成新的版本（草稿）。原已通过的数字在新版本通过前继续有效。请核对后签字。';
        },
      });
      mount(
        holder,
        h('div', { class: 'card no-print' }, h('h2', {}, '修改已通过的报表'), sheet.el, reasonField, submit),
      );
    });
    return [
      official.el,
      warningList(report),
      h('div', { class: 'no-print', style: 'margin-top:10px' }, toggle),
      holder,
    ];
  }

  try {
    await reload();
  } catch (error) {
    say(notice, 'error', error.message);
  }
}

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
