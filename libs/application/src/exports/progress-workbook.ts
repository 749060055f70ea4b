import ExcelJS from 'exceljs';
import { type Metric, METRICS, METRIC_LABELS } from '@app/domain';
import type { ProgressRow, ProgressView } from '../reports/progress.query';
import {
  INTEGER,
  orDash,
  PERCENT_ONE_DECIMAL,
  periodLabel,
  styleBody,
  styleHeader,
  FONT,
} from './sheet-style';

export interface ReconciledTraining {
  platform: number | null;
  difference: number | null;
}

const UNIT_HEADER = '省辖市、济源示范区、航空港区、学校';
const STATUS_LABELS: Record<string, string> = {
  'not-started': '未填报',
  draft: '草稿',
  'signed-by-filler': '填报人已签字',
  submitted: '已报送待审核',
  accepted: '已审核',
};
const TIMELINESS_LABELS: Record<string, string> = {
  pending: '未到期',
  'on-time': '按时',
  late: '逾期报送',
  missing: '未报送',
  'not-owed': '不需报送',
};
const UNITS: Record<Metric, string> = { training: '人次', certified: '人', advanced: '人', onePlusX: '人' };

/**
 * The progress table in the notice's Annex 1 layout (序号, unit, the four tasks), each task followed by
 * this month, cumulative and rate, then the platform's training figure and the difference.
 */
export async function progressWorkbook(
  views: { title: string; view: ProgressView }[],
  reconciliation: Map<string, ReconciledTraining>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'skills-ledger';
  for (const { title, view } of views) addSheet(workbook, title, view, reconciliation);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet(
  workbook: ExcelJS.Workbook,
  title: string,
  view: ProgressView,
  reconciliation: Map<string, ReconciledTraining>,
) {
  const headline = `“人人持证、技能河南”建设工作和1+X证书制度试点工作${view.year}年度任务完成进度（${periodLabel(view.period)}）`;
  // As offices print it: A4 landscape, one page wide, centred, the header rows and the title on every page.
  const sheet = workbook.addWorksheet(title.slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 3 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:3',
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddHeader: `&C&"SimSun,Bold"&12${headline}`, oddFooter: '&C第 &P 页，共 &N 页' },
  });
  const lastColumn = 2 + METRICS.length * 4 + 4;
  sheet.mergeCells(1, 1, 1, lastColumn);
  const heading = sheet.getCell(1, 1);
  heading.value = headline;
  heading.font = { ...FONT, size: 14, bold: true };
  heading.alignment = { horizontal: 'center' };

  const groups = sheet.getRow(2);
  const subs = sheet.getRow(3);
  groups.getCell(1).value = '序号';
  groups.getCell(2).value = UNIT_HEADER;
  sheet.mergeCells(2, 1, 3, 1);
  sheet.mergeCells(2, 2, 3, 2);
  METRICS.forEach((metric, i) => {
    const first = 3 + i * 4;
    groups.getCell(first).value = `${METRIC_LABELS[metric]}（${UNITS[metric]}）`;
    sheet.mergeCells(2, first, 2, first + 3);
    ['年度任务', '当月完成', '累计完成', '完成率(%)'].forEach(
      (label, j) => (subs.getCell(first + j).value = label),
    );
  });
  const tail = 3 + METRICS.length * 4;
  ['平台培训人次', '与平台差额', '填报状态', '报送及时性'].forEach((label, j) => {
    groups.getCell(tail + j).value = label;
    sheet.mergeCells(2, tail + j, 3, tail + j);
  });
  styleHeader(groups);
  styleHeader(subs);

  const formats: Record<number, string> = {};
  METRICS.forEach((_, i) => {
    const first = 3 + i * 4;
    formats[first] = formats[first + 1] = formats[first + 2] = INTEGER;
    formats[first + 3] = PERCENT_ONE_DECIMAL;
  });
  formats[tail] = formats[tail + 1] = INTEGER;

  view.units.forEach((unit, index) => {
    const row = sheet.addRow(rowValues(index + 1, unit, reconciliation.get(unit.code)));
    styleBody(row, formats);
  });
  const totals = sheet.addRow([
    '合计',
    '',
    ...METRICS.flatMap((m) => [
      orDash(view.totals.annual[m]),
      view.totals.month[m],
      view.totals.cumulative[m],
      orDash(view.totals.rate[m]),
    ]),
    sumOf(view.units.map((u) => reconciliation.get(u.code)?.platform ?? null)),
    sumOf(view.units.map((u) => reconciliation.get(u.code)?.difference ?? null)),
    '',
    '',
  ]);
  styleBody(totals, formats);
  totals.font = { ...FONT, bold: true };
  sheet.getColumn(1).width = 6;
  sheet.getColumn(2).width = 30;
  for (let c = 3; c <= lastColumn; c++) sheet.getColumn(c).width = 11;
  // The page header carries the title on every page; printing row 1 too put it twice on the first page.
  sheet.pageSetup.printArea = `A$2:${sheet.getColumn(lastColumn).letter}$${sheet.rowCount}`;
}

function rowValues(ordinal: number, unit: ProgressRow, reconciled: ReconciledTraining | undefined) {
  return [
    ordinal,
    unit.name,
    ...METRICS.flatMap((m) => [
      orDash(unit.annual[m]),
      unit.month ? unit.month[m] : 0,
      unit.cumulative[m],
      orDash(unit.rate[m]),
    ]),
    orDash(reconciled?.platform),
    orDash(reconciled?.difference),
    STATUS_LABELS[unit.status] ?? unit.status,
    TIMELINESS_LABELS[unit.timeliness] ?? unit.timeliness,
  ];
}

const sumOf = (values: (number | null)[]): number | string =>
  values.some((v) => v !== null) ? values.reduce<number>((s, v) => s + (v ?? 0), 0) : '—';
