import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

describe('the platform figures', () => {
  let h: Harness;
  let admin: string;
  const put = (period: string, csv: string | Buffer, type = 'text/csv') =>
    h.as(admin).put(`/api/v1/plans/2024/platform-figures/${period}`).set('Content-Type', type).send(csv);
  const events = async () =>
    (await h.db.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'platform-%'`))[0]
      .n as number;

  beforeAll(async () => {
    h = await startApp();
    admin = await h.token('admin');
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01');
  });
  afterAll(() => h.close());

  it('imports a month of figures for plan units and schools', async () => {
    const res = await put('2024-03', 'unitCode,training\nU01,620\nR01-S1,40\n');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ year: 2024, period: '2024-03', version: 1, units: 2 });
    expect(res.headers.etag).toBe('"1"');
  });

  it('records nothing for the same file again', async () => {
    const before = await events();
    const res = await put('2024-03', 'unitCode,training\r\nU01,620\r\nR01-S1,40\r\n');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(await events()).toBe(before);
  });

  it('records a new file for the same month as a new event, keeping the history', async () => {
    const res = await put('2024-03', 'unitCode,training\nU01,630\n');
    expect(res.body.version).toBe(2);
    const history = await h.as(admin).get('/api/v1/audit/events?stream=platform-2024-2024-03');
    expect(history.body.events.map((e: any) => e.data.figures)).toEqual([
      [
        { unitCode: 'U01', training: 620 },
        { unitCode: 'R01-S1', training: 40 },
      ],
      [{ unitCode: 'U01', training: 630 }],
    ]);
  });

  it('refuses a file with bad rows, listing each, and records nothing', async () => {
    const before = await events();
    const res = await put('2024-04', 'unitCode,training\nNOPE,1\nU01,-3\nU02,1.5\n');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => `${e.row}:${e.column}`)).toEqual([
      '2:unitCode',
      '3:training',
      '4:training',
    ]);
    expect(await events()).toBe(before);
  });

  it('answers 404 for a month outside the plan year and 400 for a malformed month', async () => {
    expect((await put('2025-01', 'unitCode,training\nU01,1\n')).status).toBe(404);
    expect((await put('2024-13', 'unitCode,training\nU01,1\n')).status).toBe(400);
  });

  it('lets only a province admin import', async () => {
    const auditor = await h.user('pf-auditor', 'auditor', 'province');
    const res = await h
      .as(auditor)
      .put('/api/v1/plans/2024/platform-figures/2024-03')
      .set('Content-Type', 'text/csv')
      .send('unitCode,training\n');
    expect(res.status).toBe(403);
  });

  it('reconciles: null reported (no official report yet) gives a null difference', async () => {
    const res = await h.as(admin).get('/api/v1/plans/2024/reconciliation?period=2024-03');
    expect(res.status).toBe(200);
    expect(res.body.units).toHaveLength(152);
    expect(res.body.units.find((u: any) => u.code === 'U01')).toEqual({
      code: 'U01',
      reported: null,
      platform: 630,
      difference: null,
    });
    expect(res.body.units.find((u: any) => u.code === 'R01-S1')).toEqual({
      code: 'R01-S1',
      reported: null,
      platform: null,
      difference: null,
    });
    expect(res.body.units[1].code).toBe('R01-S1');
  });
});
