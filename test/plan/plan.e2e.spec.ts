import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { startApp, type Harness } from '../support/app';
import { PLAN_2024_CSV } from '../support/plan';

const NOTICE_TOTALS = { training: 1_000_000, certified: 830_000, advanced: 300_000, onePlusX: 150_000 };

async function eventCount(h: Harness): Promise<number> {
  const [{ count }] = await h.db.query<{ count: number }>('SELECT count(*)::int AS count FROM events');
  return count;
}

async function xlsxOf(csv: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('计划');
  for (const line of csv.trim().split('\n')) {
    sheet.addRow(line.split(',').map((cell, i) => (i >= 3 && /^\d+$/.test(cell) ? Number(cell) : cell)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('the annual plan', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startApp();
    admin = await h.token('admin');
  });
  afterAll(() => h.close());

  it('refuses a file with bad rows, listing every bad row and column, and records nothing', async () => {
    const before = await eventCount(h);
    const csv = [
      'code,name,kind,training,certified,advanced,onePlusX',
      'R01,郑州市(含巩义市),region,80600,68300,—,12420',
      'R01,,city,-5,1.5,—,12420',
      'U01,郑州工业应用技术学院,undergraduate,7400,3000,3200,abc',
    ].join('\n');
    const res = await h.as(admin).put('/api/v1/plans/2024').set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const cells = res.body.errors.map((e: any) => `${e.row}:${e.column}`);
    expect(cells).toEqual(
      expect.arrayContaining([
        '3:code',
        '3:name',
        '3:kind',
        '3:training',
        '3:certified',
        '4:advanced',
        '4:onePlusX',
      ]),
    );
    expect(await eventCount(h)).toBe(before);
  });

  it('refuses a file without the header', async () => {
    const res = await h
      .as(admin)
      .put('/api/v1/plans/2024')
      .set('Content-Type', 'text/csv')
      .send('R01,x,region,1,1,—,1\n');
    expect(res.status).toBe(400);
  });

  it('refuses a body that is not CSV or xlsx with 415', async () => {
    const res = await h.as(admin).put('/api/v1/plans/2024').send({ code: 'x' });
    expect(res.status).toBe(415);
  });

  it('imports the 2024 plan with the notice totals', async () => {
    const res = await h
      .as(admin)
      .put('/api/v1/plans/2024')
      .set('Content-Type', 'text/csv')
      .send(PLAN_2024_CSV);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ year: 2024, version: 1, units: 151, totals: NOTICE_TOTALS });
    expect(res.headers.etag).toBe('"1"');
  });

  it('records nothing for the same table again: as UTF-8 with BOM and CRLF, as GBK, or as xlsx', async () => {
    const before = await eventCount(h);
    const text = PLAN_2024_CSV.toString('utf8');
    const variants: [string, Buffer][] = [
      [
        'text/csv',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]),
      ],
      ['text/csv; charset=gbk', iconv.encode(text, 'gbk')],
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await xlsxOf(text)],
    ];
    for (const [type, body] of variants) {
      const res = await h.as(admin).put('/api/v1/plans/2024').set('Content-Type', type).send(body);
      expect({ type, status: res.status, body: res.body }).toMatchObject({
        status: 200,
        body: { version: 1, units: 151 },
      });
    }
    expect(await eventCount(h)).toBe(before);
  });

  it('refuses a different file with 409 PLAN_ALREADY_PUBLISHED', async () => {
    const changed = PLAN_2024_CSV.toString('utf8').replace('80600', '80601');
    const res = await h.as(admin).put('/api/v1/plans/2024').set('Content-Type', 'text/csv').send(changed);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('PLAN_ALREADY_PUBLISHED');
  });

  it('refuses bytes that are neither UTF-8 nor GBK with 400 UNSUPPORTED_ENCODING', async () => {
    const res = await h
      .as(admin)
      .put('/api/v1/plans/2025')
      .set('Content-Type', 'text/csv')
      .send(Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x2c, 0xff, 0xfe, 0x80, 0x0a]));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('UNSUPPORTED_ENCODING');
  });

  it('shows the plan with null where the notice prints —, never 0', async () => {
    const res = await h.as(admin).get('/api/v1/plans/2024');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      year: 2024,
      version: 1,
      dueDay: 30,
      reminderDays: 3,
      totals: NOTICE_TOTALS,
    });
    expect(res.body.units).toHaveLength(151);
    expect(res.body.units[0]).toEqual({
      code: 'R01',
      name: '郑州市(含巩义市)',
      kind: 'region',
      parentCode: null,
      quota: { training: 80600, certified: 68300, advanced: null, onePlusX: 12420 },
    });
    const kinds = res.body.units.reduce(
      (acc: Record<string, number>, u: any) => ({ ...acc, [u.kind]: (acc[u.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({
      region: 19,
      undergraduate: 18,
      'higher-vocational': 98,
      'provincial-secondary': 16,
    });
  });

  it('answers 404 for a year without a plan and 400 for a malformed year', async () => {
    expect((await h.as(admin).get('/api/v1/plans/2031')).status).toBe(404);
    expect((await h.as(admin).get('/api/v1/plans/20x4')).status).toBe(400);
  });

  it('gives every month its deadline in Asia/Shanghai', async () => {
    const res = await h.as(admin).get('/api/v1/plans/2024/calendar');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(12);
    expect(res.body[0]).toEqual({ period: '2024-01', deadline: '2024-01-30T16:00:00.000Z' });
    expect(res.body[1]).toEqual({ period: '2024-02', deadline: '2024-02-29T16:00:00.000Z' });
  });

  it('adjusts one unit with If-Match and keeps the old task readable as of before', async () => {
    const before = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const body = { unitCode: 'U01', quota: { training: 7500 }, reason: '学校申请调增' };
    expect((await h.as(admin).post('/api/v1/plans/2024/adjustments').send(body)).status).toBe(428);
    expect(
      (await h.as(admin).post('/api/v1/plans/2024/adjustments').set('If-Match', '"0"').send(body)).status,
    ).toBe(412);
    const res = await h.as(admin).post('/api/v1/plans/2024/adjustments').set('If-Match', '"1"').send(body);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body.units.find((u: any) => u.code === 'U01').quota.training).toBe(7500);
    expect(res.body.totals.training).toBe(1_000_100);
    const then = await h.as(admin).get(`/api/v1/plans/2024?asOf=${encodeURIComponent(before)}`);
    expect(then.body.units.find((u: any) => u.code === 'U01').quota.training).toBe(7400);
    expect(then.body.version).toBe(1);
  });

  it('refuses an adjustment that makes advanced exceed certified', async () => {
    const res = await h
      .as(admin)
      .post('/api/v1/plans/2024/adjustments')
      .set('If-Match', '"2"')
      .send({ unitCode: 'U02', quota: { advanced: 999999 }, reason: '测试' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ADVANCED_EXCEEDS_CERTIFIED');
  });

  it('refuses adjustments by anyone but a province admin', async () => {
    const auditor = await h.user('plan-auditor', 'auditor', 'province');
    const res = await h
      .as(auditor)
      .post('/api/v1/plans/2024/adjustments')
      .set('If-Match', '"2"')
      .send({ unitCode: 'U02', quota: { training: 1 }, reason: '测试' });
    expect(res.status).toBe(403);
  });
});
