import ExcelJS from 'exceljs';
import { type Metric, shanghaiDate, type SignedForm, taskChangedSince } from '@app/domain';
import type { ReportView } from '../reports/report-view';
import { BORDER, FONT, INTEGER, NOT_ASSIGNED, orDash, PERCENT_ONE_DECIMAL, periodLabel } from './sheet-style';

export const FORM_TITLE = '河南省教育系统“人人持证、技能河南”建设工作任务进度月报表';
export const FORM_NOTES = [
  '说明 1. 培训包括本单位开展的补贴性、非补贴性、面向校内校外的各类职业培训，任务完成情况数据应与本单位“河南省技能人才管理服务系统平台”中填报的数据保持一致。',
  '说明 2. 取得人力资源社会保障部公布的《国家职业资格目录（2021年版）》中所列各种职业资格证书（如教师资格证书、法律职业资格证书等）的数量可计入“取证人数”，但没有技能等级的不可计入“高级工及以上”。',
];
/** The three rows of Annex 2, and 1+X beneath them. */
export const FORM_ROWS: { metric: Metric; label: string; unit: string }[] = [
  { metric: 'training', label: '培训任务', unit: '人次' },
  { metric: 'certified', label: '取证人数', unit: '人' },
  { metric: 'advanced', label: '其中高级工及以上', unit: '人' },
  { metric: 'onePlusX', label: '1+X 证书取证人数', unit: '人' },
];

/** The filled form's cells, shared by the workbook and the printable page so the two never disagree. */
export function formContent(report: ReportView) {
  // A submitted or accepted revision prints the form both signed; later task changes never rewrite it.
  const signed =
    (report.status === 'submitted' || report.status === 'accepted') && report.signedForm
      ? report.signedForm
      : null;
  const shown = signed
    ? { annual: signed.annual, month: signed.figures, cumulative: signed.cumulative, rate: signed.rate }
    : { annual: report.annual, month: report.figures, cumulative: report.cumulative, rate: report.rate };
  const month = shown.month;
  const dateParts = (iso: string | null) => (iso ? shanghaiDate(new Date(iso)).split('-') : null);
  const submitted = dateParts(report.submittedAt);
  return {
    unitName: report.unitName,
    period: periodLabel(report.period),
    status: report.status,
    revision: report.revision,
    rows: FORM_ROWS.map(({ metric, label, unit }) => ({
      label,
      unit,
      annual: orDash(shown.annual[metric]),
      month: month ? month[metric] : NOT_ASSIGNED,
      cumulative: shown.cumulative[metric],
      rate: orDash(shown.rate[metric]),
    })),
    /** Lines printed beneath the table: a task changed since signing, and the filler's 备注. */
    remarks: [...(signed ? taskNote(signed, report) : []), ...(report.note ? [`备注：${report.note}`] : [])],
    leader: report.signatures.leader
      ? {
          name: report.signatures.leader.name,
          date: shanghaiDate(new Date(report.signatures.leader.signedAt)),
        }
      : null,
    filler: report.signatures.filler
      ? {
          name: report.signatures.filler.name,
          phone: report.signatures.filler.phone,
          date: shanghaiDate(new Date(report.signatures.filler.signedAt)),
        }
      : null,
    submittedOn: submitted
      ? `${submitted[0]}年${Number(submitted[1])}月${Number(submitted[2])}日`
      : '____年____月____日',
  };
}

function taskNote(signed: SignedForm, report: ReportView): string[] {
  const changed = taskChangedSince(signed, report.annual);
  if (changed.length === 0) return [];
  const today = FORM_ROWS.filter((r) => changed.includes(r.metric))
    .map(
      (r) =>
        `${r.label} ${orDash(report.annual[r.metric])}${report.annual[r.metric] === null ? '' : ` ${r.unit}`}`,
    )
    .join('、');
  return [`注：本表为签字时的年度任务和完成率；签字后年度任务已调整，现为：${today}。`];
}

export async function reportFormWorkbook(report: ReportView): Promise<Buffer> {
  const c = formContent(report);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'skills-ledger';
  // One A4 page, centred, with rows tall enough to read and signature lines with room for a pen.
  const sheet = workbook.addWorksheet('月报表', {
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 1,
      horizontalCentered: true,
      margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
    },
  });
  sheet.columns = [{ width: 26 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 16 }];
  sheet.mergeCells('A1:E1');
  Object.assign(sheet.getCell('A1'), { value: FORM_TITLE });
  sheet.getCell('A1').font = { ...FONT, size: 15, bold: true };
  sheet.getCell('A1').alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 32;
  sheet.getRow(2).height = 24;
  sheet.mergeCells('A2:C2');
  sheet.getCell('A2').value = `填报单位（公章）：${c.unitName}`;
  sheet.mergeCells('D2:E2');
  sheet.getCell('D2').value = `填报月份：${c.period}`;
  const header = sheet.getRow(3);
  header.values = ['项目', '年度任务', '当月完成', '累计已完成', '累计完成率(%)'];
  header.height = 24;
  header.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
  });
  c.rows.forEach((r, i) => {
    const row = sheet.getRow(4 + i);
    row.values = [`${r.label}（${r.unit}）`, r.annual, r.month, r.cumulative, r.rate];
    row.height = 26;
    row.eachCell((cell, column) => {
      cell.font = FONT;
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle' };
      if (typeof cell.value === 'number') cell.numFmt = column === 5 ? PERCENT_ONE_DECIMAL : INTEGER;
      if (cell.value === NOT_ASSIGNED) cell.alignment = { horizontal: 'center', vertical: 'middle' };
    });
  });
  let line = 9;
  for (const remark of c.remarks) {
    sheet.mergeCells(`A${line}:E${line}`);
    sheet.getCell(`A${line}`).value = remark;
    sheet.getCell(`A${line}`).alignment = { wrapText: true, vertical: 'top' };
    sheet.getRow(line).height = 32;
    line += 1;
  }
  for (const note of FORM_NOTES) {
    sheet.mergeCells(`A${line}:E${line}`);
    sheet.getCell(`A${line}`).value = note;
    sheet.getCell(`A${line}`).alignment = { wrapText: true, vertical: 'top' };
    sheet.getRow(line).height = 48;
    line += 1;
  }
  const signature = (label: string, text: string) => {
    sheet.mergeCells(`A${line}:E${line}`);
    sheet.getCell(`A${line}`).value = `${label}${text}`;
    sheet.getCell(`A${line}`).alignment = { vertical: 'bottom' };
    sheet.getRow(line).height = 34;
    line += 1;
  };
  signature(
    '填报单位领导小组组长（签字）：',
    c.leader ? `${c.leader.name}（${c.leader.date} 签字）` : '__________',
  );
  signature(
    '填报人（签字）：',
    c.filler
      ? `${c.filler.name}（${c.filler.date} 签字）    联系电话：${c.filler.phone}`
      : '__________    联系电话：__________',
  );
  signature('填报时间：', c.submittedOn);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const escape = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
const number = (value: number | string): string =>
  typeof value === 'number' ? value.toLocaleString('zh-CN') : escape(value);

/** The printable form: A4, black on white, the notice's wording, recorded signatures filled in. */
export function reportFormHtml(report: ReportView): string {
  const c = formContent(report);
  const rows = c.rows
    .map(
      (r) =>
        `<tr><th scope="row">${escape(r.label)}（${escape(r.unit)}）</th><td>${number(r.annual)}</td><td>${number(r.month)}</td><td>${number(r.cumulative)}</td><td>${typeof r.rate === 'number' ? r.rate.toFixed(1) : escape(r.rate)}</td></tr>`,
    )
    .join('\n');
  const leader = c.leader ? `${escape(c.leader.name)}<small>（${c.leader.date} 签字）</small>` : '';
  const filler = c.filler ? `${escape(c.filler.name)}<small>（${c.filler.date} 签字）</small>` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escape(FORM_TITLE)} · ${escape(c.unitName)} · ${escape(c.period)}</title>
<style>
  @page { size: A4 portrait; margin: 20mm 18mm; }
  body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; color: #000; background: #fff; margin: 0 auto; max-width: 180mm; }
  h1 { font-size: 16pt; text-align: center; margin: 0 0 6mm; text-wrap: balance; }
  .meta { display: flex; justify-content: space-between; margin-bottom: 3mm; font-size: 12pt; }
  table { width: 100%; border-collapse: collapse; font-size: 12pt; }
  th, td { border: 1px solid #000; padding: 2.5mm 2mm; text-align: center; }
  th[scope="row"] { text-align: left; font-weight: normal; }
  .notes { font-size: 10.5pt; line-height: 1.6; margin: 4mm 0 8mm; }
  .sign p { font-size: 12pt; margin: 5mm 0; }
  .blank { display: inline-block; min-width: 40mm; border-bottom: 1px solid #000; }
  small { font-size: 9pt; color: #333; }
  @media screen { body { padding: 12mm; box-shadow: 0 0 4mm #ccc; margin-top: 8mm; } }
  @media print { .no-print { display: none; } }
</style>
</head>
<body>
<h1>${escape(FORM_TITLE)}</h1>
<div class="meta"><span>填报单位（公章）：${escape(c.unitName)}</span><span>填报月份：${escape(c.period)}</span></div>
<table>
<thead><tr><th scope="col">项目</th><th scope="col">年度任务</th><th scope="col">当月完成</th><th scope="col">累计已完成</th><th scope="col">累计完成率(%)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${c.remarks.map((r) => `<p class="remark">${escape(r)}</p>`).join('\n')}
<div class="notes">${FORM_NOTES.map((n) => `<p>${escape(n)}</p>`).join('')}</div>
<div class="sign">
<p>填报单位领导小组组长（签字）：<span class="blank">${leader}</span></p>
<p>填报人（签字）：<span class="blank">${filler}</span>&emsp;联系电话：<span class="blank">${c.filler ? escape(c.filler.phone) : ''}</span></p>
<p>填报时间：${escape(c.submittedOn)}</p>
</div>
<p class="no-print"><small>用浏览器“打印”（Ctrl+P）输出本表，签字盖章后扫描报送。</small></p>
</body>
</html>
`;
}
