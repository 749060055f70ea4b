import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ProjectionRunner } from '@app/event-store';
import { ASYNC_PROJECTIONS } from '@app/application/read-models/registry';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, publishSplit, registerSchool } from '../support/plan';
import { reportSteps, reportUrl } from '../reports/report-steps';

/** Where the files land, to be opened in LibreOffice (docs/reporting-year.md, "Printing the exports"). */
const OUT = join(__dirname, '../../test-artifacts/print');
const NOTE = '含3月20日校外培训班 2 期，1+X 证书另附名单';

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Issue 14, item 7: the exports print as offices print them (A4, header rows repeated, the 备注 on the form). */
describe('exports laid out for printing', () => {
  let h: Harness;
  let admin: string;
  let operator: string;
  let filler: string;
  const files: Record<string, Buffer> = {};
  const fetch = async (token: string, url: string) => {
    const res = await h.as(token).get(url).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    return res.body as Buffer;
  };
  const sheetOf = async (bytes: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as any);
    return workbook.worksheets[0];
  };

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-05T02:00:00.000Z' });
    admin = await h.token('admin');
    await publishPlan2024(h);
    operator = await h.user('jy-op', 'region-operator', 'R18');
    await registerSchool(h, 'R18-S1', 'R18', '济源市第一职业中专');
    await registerSchool(h, 'R18-S2', 'R18', '济源市高级技工学校');
    await publishSplit(
      h,
      operator,
      'R18',
      [['R18-S1', { training: 1000, certified: 800, onePlusX: 100 }]],
      'R18-S2',
    );
    filler = await h.user('s1-filler', 'filler', 'R18-S1');
    const people = { filler, leader: await h.user('s1-leader', 'leader', 'R18-S1'), reviewer: operator };
    const steps = reportSteps(h);
    h.clock.set('2024-03-20T02:00:00.000Z');
    await steps.enter(
      filler,
      'R18-S1',
      '2024-03',
      { training: 320, certified: 210, advanced: 0, onePlusX: 35 },
      NOTE,
    );
    await steps.sign(filler, 'R18-S1', '2024-03', '王芳', '0391-6632001');
    await steps.sign(people.leader, 'R18-S1', '2024-03', '赵强');
    await steps.review(operator, 'R18-S1', '2024-03', 'accept');
    // After the signatures the region moves part of the school's task: the form keeps the signed task.
    const split = await h.as(operator).get('/api/v1/plans/2024/regions/R18/allocation');
    await h
      .as(operator)
      .post('/api/v1/plans/2024/regions/R18/allocation/transfers')
      .set('If-Match', split.headers.etag)
      .send({ from: 'R18-S1', to: 'R18-S2', metric: 'training', amount: 100, reason: '调剂' });
    await new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now()).catchUp();

    files['progress.xlsx'] = await fetch(admin, '/api/v1/plans/2024/progress.xlsx?period=2024-03');
    files['form.xlsx'] = await fetch(filler, `${reportUrl('R18-S1', '2024-03')}/form.xlsx`);
    files['form.html'] = await fetch(filler, `${reportUrl('R18-S1', '2024-03')}/form.html`);
    mkdirSync(OUT, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(OUT, name), bytes);
  }, 180_000);
  afterAll(() => h.close());

  it('prints progress.xlsx on A4 landscape, one page wide, header rows and title on every page', async () => {
    const sheet = await sheetOf(files['progress.xlsx']);
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:3',
    });
    expect(sheet.pageSetup.horizontalCentered).toBe(true);
    // The title prints in the page header on every page, so the sheet's own title row (1) is left out.
    expect(sheet.getCell('A1').value).toContain('2024年度任务完成进度');
    expect(sheet.pageSetup.printArea).toBe(`A2:V${sheet.rowCount}`);
    expect(sheet.headerFooter.oddHeader).toContain('2024年度任务完成进度（2024年3月）');
    expect(sheet.headerFooter.oddFooter).toContain('&P');
  });

  it('prints the form on one A4 page with the task note and the 备注 inside what is printed', async () => {
    const sheet = await sheetOf(files['form.xlsx']);
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 1,
    });
    const lines: { row: number; text: string }[] = [];
    sheet.eachRow((row, n) => lines.push({ row: n, text: String(row.getCell(1).value ?? '') }));
    const remark = lines.find((l) => l.text === `备注：${NOTE}`);
    const taskNote = lines.find((l) => l.text.includes('签字后年度任务已调整，现为：培训任务 900 人次'));
    expect(remark).toBeDefined();
    expect(taskNote).toBeDefined();
    // The signed form: the task as it was signed (1,000), not today's 900.
    expect(sheet.getRow(4).values).toEqual([undefined, '培训任务（人次）', 1000, 320, 320, 32]);
    const lastPrinted = sheet.pageSetup.printArea
      ? Number(/(\d+)$/.exec(sheet.pageSetup.printArea)![1])
      : sheet.rowCount;
    expect(remark!.row).toBeLessThanOrEqual(lastPrinted);

    const html = files['form.html'].toString('utf8');
    expect(html).toContain(`备注：${NOTE}`);
    expect(html).toMatch(/@page \{ size: A4 portrait/);
  });
});
