import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { assertZipWithinLimits } from './zip-limits';
import { readTable, XLSX_TYPE } from './table-file';

/** A minimal zip writer: each entry deflated, with the sizes it declares (honest unless told otherwise). */
function zip(entries: { name: string; content: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = deflateRawSync(e.content);
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const timed = async (work: () => Promise<unknown>) => {
  const started = Date.now();
  const error = await work().then(
    () => undefined,
    (e) => e,
  );
  return { error, ms: Date.now() - started };
};

describe('xlsx uploads are judged before they are inflated', () => {
  const zeros = Buffer.alloc(64 * 1024 * 1024); // 64 MB of zeros deflate to about 64 KB

  it('refuses an entry whose declared size is above the cap, within a second', async () => {
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', content: zeros }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { error, ms } = await timed(() => readTable(bomb, XLSX_TYPE));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(ms).toBeLessThan(1000);
  });

  it('stops an entry that inflates beyond the size its directory declares', async () => {
    const liar = zip([{ name: 'xl/worksheets/sheet1.xml', content: zeros, declaredSize: 1024 }]);
    const { error, ms } = await timed(() => readTable(liar, XLSX_TYPE));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(ms).toBeLessThan(1000);
  });

  it('refuses a total above the cap, and a sheet with too many rows', () => {
    const parts = Array.from({ length: 4 }, (_, i) => ({
      name: `xl/media/image${i}.bin`,
      content: Buffer.alloc(15 * 1024 * 1024),
    }));
    expect(() => assertZipWithinLimits(zip(parts))).toThrow(/解压后过大/);
    const rows = Buffer.from(`<sheetData>${'<row r="1"><c r="A1"/></row>'.repeat(10_001)}</sheetData>`);
    expect(() => assertZipWithinLimits(zip([{ name: 'xl/worksheets/sheet1.xml', content: rows }]))).toThrow(
      /工作表过大/,
    );
  });

  it('still reads an ordinary workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('计划').addRows([
      ['code', 'name'],
      ['U01', '郑州工业应用技术学院'],
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await readTable(bytes, XLSX_TYPE)).toEqual({
      header: ['code', 'name'],
      rows: [['U01', '郑州工业应用技术学院']],
    });
  });
});
