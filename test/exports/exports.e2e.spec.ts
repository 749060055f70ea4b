import ExcelJS from 'exceljs';
import { ProjectionRunner } from '@app/event-store';
import { ASYNC_PROJECTIONS } from '@app/application/read-models/registry';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';
import { reportSteps } from '../reports/report-steps';

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const open = async (bytes: Buffer) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as any);
  return workbook;
};
const rowOf = (sheet: ExcelJS.Worksheet, name: string) => {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (row.getCell(2).value === name) found = row;
  });
  if (!found) throw new Error(`no row ${name}`);
  return found;
};

describe('workbooks and forms', () => {
  let h: Harness;
  let admin: string;
  let opR01: string;
  beforeAll(async () => {
    h = await startApp({ now: '2024-03-20T02:00:00.000Z' });
    admin = await h.token('admin');
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01', '郑州市第一职业中专');
    opR01 = await h.user('x-op', 'region-operator', 'R01');
    const steps = reportSteps(h);
    const college = {
      filler: await h.user('x-f', 'filler', 'U01'),
      leader: await h.user('x-l', 'leader', 'U01'),
      reviewer: admin,
    };
    const school = {
      filler: await h.user('x-sf', 'filler', 'R01-S1'),
      leader: await h.user('x-sl', 'leader', 'R01-S1'),
      reviewer: opR01,
    };
    await steps.official(college, 'U01', '2024-03', {
      training: 740,
      certified: 630,
      advanced: 320,
      onePlusX: 114,
    });
    await steps.official(school, 'R01-S1', '2024-03', {
      training: 50,
      certified: 40,
      advanced: 0,
      onePlusX: 5,
    });
    h.clock.advance(60_000);
    await h
      .as(admin)
      .put('/api/v1/plans/2024/platform-figures/2024-03')
      .set('Content-Type', 'text/csv')
      .send('unitCode,training\nU01,700\nR01-S1,50\n');
    await new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now()).catchUp();
  }, 180_000);
  afterAll(() => h.close());

  it('exports the province progress in Annex 1 layout with a totals row and the platform difference', async () => {
    const res = await h
      .as(admin)
      .get('/api/v1/plans/2024/progress.xlsx?period=2024-03')
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const sheet = (await open(res.body)).worksheets[0];
    expect(sheet.name).toBe('全省');
    // Printed as offices print it: A4 landscape, one page wide, header rows and title on every page.
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
    expect(sheet.pageSetup.printTitlesRow).toBe('2:3');
    expect(sheet.headerFooter.oddHeader).toContain('年度任务完成进度');
    expect(sheet.getCell('A2').value).toBe('序号');
    expect(sheet.getCell('B2').value).toBe('省辖市、济源示范区、航空港区、学校');
    expect(sheet.getCell('C2').value).toBe('培训任务（人次）');
    expect([3, 4, 5, 6].map((c) => sheet.getRow(3).getCell(c).value)).toEqual([
      '年度任务',
      '当月完成',
      '累计完成',
      '完成率(%)',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    const college = rowOf(sheet, '郑州工业应用技术学院');
    expect([3, 4, 5, 6].map((c) => college.getCell(c).value)).toEqual([7400, 740, 740, 10]);
    expect(college.getCell(3).numFmt).toBe('#,##0');
    expect(college.getCell(19).value).toBe(700);
    expect(college.getCell(20).value).toBe(40);
    const zhengzhou = rowOf(sheet, '郑州市(含巩义市)');
    expect(zhengzhou.getCell(11).value).toBe('—');
    expect(zhengzhou.getCell(14).value).toBe('—');
    expect(zhengzhou.getCell(20).value).toBe('—');
    let totals: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '合计') totals = row;
    });
    expect(totals!.getCell(3).value).toBe(1_000_000);
    expect(totals!.getCell(4).value).toBe(740);
    expect(totals!.getCell(11).value).toBe(300_000);
    expect(sheet.rowCount).toBe(3 + 151 + 1);
  });

  it('adds one sheet per region when asked, and gives a region operator its schools', async () => {
    const all = await h
      .as(admin)
      .get('/api/v1/plans/2024/progress.xlsx?period=2024-03&sheets=regions')
      .buffer(true)
      .parse(binary);
    const workbook = await open(all.body);
    expect(workbook.worksheets).toHaveLength(20);
    const own = await h
      .as(opR01)
      .get('/api/v1/plans/2024/progress.xlsx?period=2024-03&region=R01')
      .buffer(true)
      .parse(binary);
    expect(own.status).toBe(200);
    const sheet = (await open(own.body)).worksheets[0];
    const school = rowOf(sheet, '郑州市第一职业中专');
    expect([3, 4, 5].map((c) => school.getCell(c).value)).toEqual(['—', 50, 50]);
    expect(school.getCell(20).value).toBe(0);
  });

  it('fills the Annex 2 form as a workbook with the figures and the recorded signatures', async () => {
    const res = await h
      .as(admin)
      .get('/api/v1/units/U01/reports/2024-03/form.xlsx')
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const sheet = (await open(res.body)).worksheets[0];
    expect(sheet.getCell('A1').value).toBe('河南省教育系统“人人持证、技能河南”建设工作任务进度月报表');
    expect(sheet.getCell('A2').value).toBe('填报单位（公章）：郑州工业应用技术学院');
    expect(sheet.getRow(4).values).toEqual([undefined, '培训任务（人次）', 7400, 740, 740, 10]);
    expect(sheet.getRow(6).values).toEqual([undefined, '其中高级工及以上（人）', 3200, 320, 320, 10]);
    expect(sheet.getRow(7).getCell(1).value).toBe('1+X 证书取证人数（人）');
    const text: string[] = [];
    sheet.eachRow((row) => text.push(String(row.getCell(1).value)));
    expect(text.join('\n')).toContain('说明 1.');
    expect(text.join('\n')).toContain('填报人（签字）：张三（2024-03-20 签字）    联系电话：0371-69691788');
    expect(text.join('\n')).toContain('填报单位领导小组组长（签字）：李四');
    expect(text.join('\n')).toContain('填报时间：2024年3月20日');
  });

  it('prints the form with — where a task is not assigned, and print CSS', async () => {
    const res = await h.as(opR01).get('/api/v1/units/R01-S1/reports/2024-03/form.html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('填报单位（公章）：郑州市第一职业中专');
    expect(res.text).toMatch(/其中高级工及以上（人）<\/th><td>—<\/td><td>0<\/td>/);
    expect(res.text).toContain('张三');
    expect(res.text).toContain('0371-69691788');
    expect(res.text).toContain('@media print');
  });

  it('reconciles official training with the platform: agreeing, differing and missing units', async () => {
    const res = await h.as(admin).get('/api/v1/plans/2024/reconciliation?period=2024-03');
    const byCode = new Map(res.body.units.map((u: any) => [u.code, u]));
    expect(byCode.get('U01')).toEqual({ code: 'U01', reported: 740, platform: 700, difference: 40 });
    expect(byCode.get('R01-S1')).toEqual({ code: 'R01-S1', reported: 50, platform: 50, difference: 0 });
    expect(byCode.get('U02')).toEqual({ code: 'U02', reported: null, platform: null, difference: null });
  });

  it('shows the platform figure and the difference on the report itself', async () => {
    const report = await h.as(admin).get('/api/v1/units/U01/reports/2024-03');
    expect(report.body.reconciliation).toEqual({ platform: 700, difference: 40 });
    const before = await h.as(admin).get('/api/v1/units/U01/reports/2024-03?asOf=2024-03-20T02:00:30Z');
    expect(before.body.reconciliation).toEqual({ platform: null, difference: null });
  });

  it('refuses the form of another unit', async () => {
    const filler = await h.user('x-other', 'filler', 'U02');
    expect((await h.as(filler).get('/api/v1/units/U01/reports/2024-03/form.html')).status).toBe(403);
  });
});
