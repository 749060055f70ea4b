import ExcelJS from 'exceljs';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, publishSplit, registerSchool } from '../support/plan';
import { type Figures, reportSteps, reportUrl } from './report-steps';

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const jan: Figures = { training: 100, certified: 80, advanced: 0, onePlusX: 10 };
const feb: Figures = { training: 200, certified: 120, advanced: 0, onePlusX: 20 };

/** API.md v1.1 "What is signed stays what was signed", through HTTP, the workbook and the printable page. */
describe('a signed form stays what was signed', () => {
  let h: Harness;
  let operator: string;
  let school: { filler: string; leader: string; reviewer: string };
  let steps: ReturnType<typeof reportSteps>;
  let signedForm: any;
  let beforeTransfer: string;

  beforeAll(async () => {
    h = await startApp({ now: '2024-01-05T02:00:00.000Z' });
    steps = reportSteps(h);
    await publishPlan2024(h);
    operator = await h.user('jy-op', 'region-operator', 'R18');
    await registerSchool(h, 'R18-S1', 'R18');
    await registerSchool(h, 'R18-S2', 'R18');
    await publishSplit(
      h,
      operator,
      'R18',
      [['R18-S1', { training: 1000, certified: 800, onePlusX: 100 }]],
      'R18-S2',
    );
    school = {
      filler: await h.user('s1-filler', 'filler', 'R18-S1'),
      leader: await h.user('s1-leader', 'leader', 'R18-S1'),
      reviewer: operator,
    };
    h.clock.set('2024-01-20T02:00:00.000Z');
    await steps.official(school, 'R18-S1', '2024-01', jan);
  }, 180_000);
  afterAll(() => h.close());

  it('records the whole form at the leader signature: figures, cumulative, task, rate and hash', async () => {
    h.clock.set('2024-02-20T02:00:00.000Z');
    await steps.enter(school.filler, 'R18-S1', '2024-02', feb, '含校外培训');
    const unsigned = await h.as(school.filler).get(reportUrl('R18-S1', '2024-02'));
    expect(unsigned.body.signedForm).toBeNull();
    await steps.sign(school.filler, 'R18-S1', '2024-02', '张三', '0391-1');
    const res = await steps.sign(school.leader, 'R18-S1', '2024-02', '李四');
    expect(res.status).toBe(200);
    signedForm = res.body.signedForm;
    expect(signedForm).toEqual({
      figures: feb,
      cumulative: { training: 300, certified: 200, advanced: 0, onePlusX: 30 },
      annual: { training: 1000, certified: 800, advanced: null, onePlusX: 100 },
      rate: { training: 30, certified: 25, advanced: null, onePlusX: 30 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('lists February as pending in March, the cumulative leaving it out', async () => {
    h.clock.set('2024-03-05T02:00:00.000Z');
    const march = await h.as(school.filler).get(reportUrl('R18-S1', '2024-03'));
    expect(march.body.pendingEarlier).toEqual(['2024-02']);
    expect(march.body.cumulative.training).toBe(100);
  });

  it('keeps the signed form when a transfer later changes the task, and the forms say so', async () => {
    beforeTransfer = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const split = await h.as(operator).get('/api/v1/plans/2024/regions/R18/allocation');
    const moved = await h
      .as(operator)
      .post('/api/v1/plans/2024/regions/R18/allocation/transfers')
      .set('If-Match', split.headers.etag)
      .send({ from: 'R18-S1', to: 'R18-S2', metric: 'training', amount: 100, reason: '调剂' });
    expect(moved.status).toBe(200);
    const report = await h.as(school.filler).get(reportUrl('R18-S1', '2024-02'));
    expect(report.body.annual.training).toBe(900);
    expect(report.body.signedForm).toEqual(signedForm);
    const asOf = await h
      .as(school.filler)
      .get(`${reportUrl('R18-S1', '2024-02')}?asOf=${encodeURIComponent(beforeTransfer)}`);
    expect(asOf.body.annual.training).toBe(1000);
    expect(asOf.body.signedForm).toEqual(signedForm);

    const html = await h.as(school.filler).get(`${reportUrl('R18-S1', '2024-02')}/form.html`);
    expect(html.text).toContain('<td>1,000</td>');
    expect(html.text).not.toContain('<td>900</td>');
    expect(html.text).toContain('签字后年度任务已调整，现为：培训任务 900 人次');
    expect(html.text).toContain('备注：含校外培训');

    const xlsx = await h
      .as(school.filler)
      .get(`${reportUrl('R18-S1', '2024-02')}/form.xlsx`)
      .buffer(true)
      .parse(binary);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as any);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(4).values).toEqual([undefined, '培训任务（人次）', 1000, 200, 300, 30]);
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts.some((t) => t.includes('现为：培训任务 900 人次'))).toBe(true);
    expect(texts).toContain('备注：含校外培训');
  });

  it('still prints the signed form once accepted, and February is no longer pending', async () => {
    expect((await steps.review(operator, 'R18-S1', '2024-02', 'accept')).status).toBe(200);
    const report = await h.as(school.filler).get(reportUrl('R18-S1', '2024-02'));
    expect(report.body.signedForm).toEqual(signedForm);
    const march = await h.as(school.filler).get(reportUrl('R18-S1', '2024-03'));
    expect(march.body.pendingEarlier).toEqual([]);
    expect(march.body.cumulative.training).toBe(300);
  });
});
