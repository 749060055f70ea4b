import { startApp, type Harness } from '../support/app';
import { PLAN_2024_CSV, registerSchool } from '../support/plan';
import { reportUrl } from '../reports/report-steps';

const SPLIT = '/api/v1/plans/2024/regions/R18/allocation';

/** API.md v1.1 "Who owes which month": a plan published mid-year, and a school that joins later. */
describe('who owes which month', () => {
  let h: Harness;
  let admin: string;
  let operator: string;
  const overdue = async () =>
    h.db.query<{ unit: string; period: string; n: number }>(
      `SELECT substring(stream_id from '^report-(.+)-\\d{4}-\\d{2}$') AS unit,
              substring(stream_id from '\\d{4}-\\d{2}$') AS period, count(*)::int AS n
         FROM events WHERE type = 'ReportMarkedOverdue' GROUP BY 1, 2`,
    );
  const sweepFiveTimes = async () => {
    for (let i = 0; i < 5; i++)
      expect((await h.as(admin).post('/api/v1/admin/deadline-sweeps')).status).toBe(202);
  };
  const splitEtag = async () => (await h.as(operator).get(SPLIT)).headers.etag as string;

  beforeAll(async () => {
    h = await startApp({ now: '2024-06-15T02:00:00.000Z' });
    admin = await h.token('admin');
  }, 60_000);
  afterAll(() => h.close());

  it('owes from the month the plan is first published in, by default', async () => {
    const res = await h
      .as(admin)
      .put('/api/v1/plans/2024')
      .set('Content-Type', 'text/csv')
      .send(PLAN_2024_CSV);
    expect(res.status).toBe(200);
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    expect(plan.body).toMatchObject({ reportingFrom: '2024-06', closed: false });
    operator = await h.user('jy-op', 'region-operator', 'R18');
  }, 120_000);

  it('gives a school of a split published in June obligations from June', async () => {
    await registerSchool(h, 'R18-S1', 'R18');
    const put = await h
      .as(operator)
      .put(`${SPLIT}/schools/R18-S1`)
      .set('If-Match', await splitEtag())
      .send({ training: 1470, certified: 1200, onePlusX: 210 });
    expect(put.status).toBe(200);
    expect(
      (
        await h
          .as(operator)
          .post(`${SPLIT}/publish`)
          .set('If-Match', await splitEtag())
      ).status,
    ).toBe(200);
  }, 120_000);

  it('records no missing month before reportingFrom, and exactly one overdue per owed month after five sweeps', async () => {
    h.clock.set('2024-08-05T02:00:00.000Z');
    await sweepFiveTimes();
    const marks = await overdue();
    expect(marks.every((m) => m.n === 1)).toBe(true);
    expect(marks.filter((m) => m.period < '2024-06')).toEqual([]);
    // 151 plan units and R18-S1 owe June and July.
    expect(marks.filter((m) => m.period === '2024-06')).toHaveLength(152);
    expect(marks.filter((m) => m.period === '2024-07')).toHaveLength(152);
    expect(marks).toHaveLength(304);

    const march = await h.as(admin).get('/api/v1/plans/2024/timeliness?period=2024-03');
    expect(march.body.counts).toEqual({ onTime: 0, late: 0, missing: 0, pending: 0, notOwed: 151 });
    expect((await h.as(admin).get(reportUrl('U01', '2024-03'))).body.timeliness).toBe('not-owed');
    const july = await h.as(admin).get('/api/v1/plans/2024/timeliness?period=2024-07');
    expect(july.body.counts).toEqual({ onTime: 0, late: 0, missing: 151, pending: 0, notOwed: 0 });
  }, 120_000);

  it('makes a school registered after publishing owe from the month a transfer gives it a share', async () => {
    h.clock.set('2024-09-10T02:00:00.000Z');
    await registerSchool(h, 'R18-S2', 'R18');
    const before = await h.as(admin).get(reportUrl('R18-S2', '2024-09'));
    expect(before.body.timeliness).toBe('not-owed');
    const beforeTransfer = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const moved = await h
      .as(operator)
      .post(`${SPLIT}/transfers`)
      .set('If-Match', await splitEtag())
      .send({ from: 'R18-S1', to: 'R18-S2', metric: 'training', amount: 300, reason: '新校开办' });
    expect(moved.status).toBe(200);

    h.clock.set('2024-10-05T02:00:00.000Z');
    await sweepFiveTimes();
    const s2 = (await overdue()).filter((m) => m.unit === 'R18-S2');
    expect(s2).toEqual([{ unit: 'R18-S2', period: '2024-09', n: 1 }]);
    const region = await h.as(operator).get('/api/v1/plans/2024/timeliness?period=2024-08&region=R18');
    expect(region.body.units.map((u: any) => [u.code, u.timeliness])).toEqual([
      ['R18-S1', 'missing'],
      ['R18-S2', 'not-owed'],
    ]);
    expect(region.body.counts.notOwed).toBe(1);
    // As of before the transfer, September was not owed by R18-S2; now it is missing.
    const asOf = await h
      .as(admin)
      .get(`${reportUrl('R18-S2', '2024-09')}?asOf=${encodeURIComponent(beforeTransfer)}`);
    expect(asOf.body.timeliness).toBe('not-owed');
    expect(asOf.body.annual.training).toBeNull();
    const now = await h.as(admin).get(reportUrl('R18-S2', '2024-09'));
    expect(now.body).toMatchObject({ timeliness: 'missing', overdue: true });
    expect(now.body.annual.training).toBe(300);
  }, 120_000);

  it('moves reportingFrom with a reason as an event, and sweeps then owe the earlier months', async () => {
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const noReason = await h
      .as(admin)
      .post('/api/v1/plans/2024/reporting-start')
      .set('If-Match', plan.headers.etag)
      .send({ period: '2024-05', reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('REASON_REQUIRED');
    const wrongYear = await h
      .as(admin)
      .post('/api/v1/plans/2024/reporting-start')
      .set('If-Match', plan.headers.etag)
      .send({ period: '2023-05', reason: '更正' });
    expect(wrongYear.status).toBe(400);
    const beforeMove = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const moved = await h
      .as(admin)
      .post('/api/v1/plans/2024/reporting-start')
      .set('If-Match', plan.headers.etag)
      .send({ period: '2024-05', reason: '5月已开始报送' });
    expect(moved.status).toBe(200);
    expect(moved.body.reportingFrom).toBe('2024-05');
    const operatorTry = await h
      .as(operator)
      .post('/api/v1/plans/2024/reporting-start')
      .set('If-Match', moved.headers.etag)
      .send({ period: '2024-04', reason: 'x' });
    expect(operatorTry.status).toBe(403);
    const old = await h.as(admin).get(`/api/v1/plans/2024?asOf=${encodeURIComponent(beforeMove)}`);
    expect(old.body.reportingFrom).toBe('2024-06');

    await sweepFiveTimes();
    const may = (await overdue()).filter((m) => m.period === '2024-05');
    // The plan units owe May now; R18-S1 held no published share before June, so it still does not.
    expect(may).toHaveLength(151);
    expect(may.some((m) => m.unit === 'R18-S1')).toBe(false);
    expect((await overdue()).every((m) => m.n === 1)).toBe(true);
  }, 120_000);

  it('lets a report be filed for a month not owed, judged by its deadline', async () => {
    const filler = await h.user('u01-filler', 'filler', 'U01');
    const res = await h
      .as(filler)
      .put(reportUrl('U01', '2024-02'))
      .set('If-Match', '"0"')
      .send({ figures: { training: 1, certified: 1, advanced: 0, onePlusX: 0 } });
    expect(res.status).toBe(200);
    expect(res.body.timeliness).toBe('not-owed');
  }, 120_000);
});
