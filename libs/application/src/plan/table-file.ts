import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { ProblemException } from '../problem';
import { assertZipWithinLimits } from './zip-limits';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Table {
  header: string[];
  rows: string[][];
}

/**
 * Reads an uploaded table (the plan, the platform's figures) as text cells, whichever way an office
 * produced it: UTF-8 CSV with or without BOM, GBK CSV as Excel writes it on Chinese Windows, or xlsx.
 */
export async function readTable(body: unknown, contentType: string | undefined): Promise<Table> {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new ProblemException('VALIDATION_FAILED', '上传的文件为空');
  }
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const isZip = body[0] === 0x50 && body[1] === 0x4b;
  if (type === XLSX_TYPE || (type === 'application/octet-stream' && isZip)) return readXlsx(body);
  return readCsv(decodeText(body));
}

/** UTF-8 when the bytes are valid UTF-8; otherwise GB18030 (a superset of GBK) when that decodes cleanly. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const text = iconv.decode(bytes, 'gb18030');
    // A replacement character or a control code means the bytes were not GBK either.
    // eslint-disable-next-line no-control-regex -- control codes are what betray bytes decoded with the wrong charset
    if (text.includes('\uFFFD') || /[\u0000-\u0008\u000E-\u001F]/.test(text)) {
      throw new ProblemException(
        'UNSUPPORTED_ENCODING',
        '无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV 文件',
      );
    }
    return text;
  }
}

function readCsv(text: string): Table {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  } catch (error) {
    throw new ProblemException('VALIDATION_FAILED', `CSV 格式不正确：${(error as Error).message}`);
  }
  if (records.length === 0) throw new ProblemException('VALIDATION_FAILED', '文件没有内容（缺少表头）');
  const [header, ...rows] = records;
  return { header, rows };
}

async function readXlsx(bytes: Buffer): Promise<Table> {
  assertZipWithinLimits(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer; it reads a Node Buffer as well (JSZip takes both).
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw new ProblemException('VALIDATION_FAILED', '无法读取 Excel 文件（需要 .xlsx 格式）');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ProblemException('VALIDATION_FAILED', 'Excel 文件中没有工作表');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    records.push(cells);
  });
  if (records.length === 0)
    throw new ProblemException('VALIDATION_FAILED', 'Excel 工作表没有内容（缺少表头）');
  const [header, ...rows] = records;
  return { header, rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    // A formula saved without its computed value: shown as the formula, which no figure check accepts.
    if ('sharedFormula' in value) return `=${value.sharedFormula}`;
    if ('formula' in value) return `=${value.formula}`;
  }
  return String(value);
}
