import type ExcelJS from 'exceljs';

/** Shared look of the office workbooks: SimSun-like defaults, thin borders, centred Chinese headers. */
export const FONT = { name: '宋体', size: 11 };
export const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
export const INTEGER = '#,##0';
export const PERCENT_ONE_DECIMAL = '0.0';
/** The notice prints "—" where a task is not assigned. */
export const NOT_ASSIGNED = '—';

export const orDash = (value: number | null | undefined): number | string =>
  value === null || value === undefined ? NOT_ASSIGNED : value;

export function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  });
}

export function styleBody(row: ExcelJS.Row, formats: Record<number, string>): void {
  row.eachCell({ includeEmpty: true }, (cell, column) => {
    cell.font = FONT;
    cell.border = BORDER;
    if (formats[column] && typeof cell.value === 'number') cell.numFmt = formats[column];
    if (typeof cell.value === 'string' && cell.value === NOT_ASSIGNED)
      cell.alignment = { horizontal: 'center' };
  });
}

export const periodLabel = (period: string): string => {
  const [year, month] = period.split('-');
  return `${year}年${Number(month)}月`;
};
