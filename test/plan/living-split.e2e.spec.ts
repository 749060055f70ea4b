import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';
import { eventCount, reportSteps, reportUrl } from '../reports/report-steps';

const BASE = '/api/v1/plans/2024/regions/R18/allocation';
const share = (training: number, certified: number, onePlusX: number) => ({ training, certified, onePlusX });

/** API.md v1.1 "A split that lives through the year", through HTTP on real PostgreSQL. */
describe('a split that lives through the year', () => {
  let h: Harness;
  let admin: string;
  let operator: string;
  let steps: ReturnType<typeof reportSteps>;
  const people: Record<string, { filler: string; leader: string; reviewer: string }> = {};
  const instants: Record<string, string> = {};

  const etag = async () => (await h.as(operator).get(BASE)).headers.etag as string;
  const put = async (school: string, body: object) =>
    h
      .as(operator)
      .put(`${BASE}/schools/${school}`)
      .set('If-Match', await etag())
      .send(body);
  const transfer = async (body: object) =>
    h
      .as(operator)
      .post(`${BASE}/transfers`)
      .set('If-Match', await etag())
      .send(body);
  const annualOf = async (unit: string, asOf?: string) => {
    const url = reportUrl(unit, '2024-04') + (asOf ? `?asOf=${encodeURIComponent(asOf)}` : '');
    const res = await h.as(admin).get(url);
    expect(res.status).toBe(200);
    return res.body.annual;
  };

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-05T02:00:00.000Z' });
    steps = reportSteps(h);
    admin = await h.token('admin');
    await publishPlan2024(h);
    operator = await h.user('jy-op', 'region-operator', 'R18');
    await registerSchool(h, 'R18-S1', 'R18');
    await registerSchool(h, 'R18-S2', 'R18');
    for (const unit of ['R18-S1', 'R18-S3']) {
      if (unit === 'R18-S3') continue;
      people[unit] = {
        filler: await h.user(`${unit}-filler`, 'filler', unit),
        leader: await h.user(`${unit}-leader`, 'leader', unit),
        reviewer: operator,
      };
    }
  }, 60_000);
  afterAll(() => h.close());

  it('gives schools no task until the region publishes its split', async () => {
    expect((await put('R18-S1', share(1000, 900, 150))).status).toBe(200);
    expect((await put('R18-S2', share(470, 300, 60))).status).toBe(200);
    const none = { training: null, certified: null, advanced: null, onePlusX: null };
    expect(await annualOf('R18-S1')).toEqual(none);
    const progress = await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-03&region=R18');
    expect(progress.body.units.map((u: any) => u.annual)).toEqual([none, none]);
    h.clock.advance(60_000);
    instants.beforePublish = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const published = await h
      .as(operator)
      .post(`${BASE}/publish`)
      .set('If-Match', await etag());
    expect(published.status).toBe(200);
    expect(await annualOf('R18-S1')).toEqual({
      training: 1000,
      certified: 900,
      advanced: null,
      onePlusX: 150,
    });
    expect(await annualOf('R18-S1', instants.beforePublish)).toEqual(none);
  });

  it('refuses a transfer below what the giving school has achieved, recording nothing', async () => {
    // March is accepted by the region: 950 trained is what R18-S1 has achieved.
    await steps.official(people['R18-S1'], 'R18-S1', '2024-03', {
      training: 950,
      certified: 100,
      advanced: 0,
      onePlusX: 10,
    });
    const before = await eventCount(h);
    const below = await transfer({
      from: 'R18-S1',
      to: 'R18-S2',
      metric: 'training',
      amount: 51,
      reason: '调剂',
    });
    expect(below.status).toBe(422);
    expect(below.body.code).toBe('SHARE_BELOW_ACHIEVED');
    expect(below.body.detail).toContain('已完成 950');
    const cut = await put('R18-S1', { ...share(949, 900, 150), reason: '调减' });
    expect(cut.status).toBe(422);
    expect(cut.body.code).toBe('SHARE_BELOW_ACHIEVED');
    expect(await eventCount(h)).toBe(before);
    const exact = await transfer({
      from: 'R18-S1',
      to: 'R18-S2',
      metric: 'training',
      amount: 50,
      reason: '调剂',
    });
    expect(exact.status).toBe(200);
  });

  it('gives a share by transfer to a school registered after publishing', async () => {
    await registerSchool(h, 'R18-S3', 'R18');
    h.clock.set('2024-04-10T02:00:00.000Z');
    instants.beforeTransfer = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const res = await transfer({
      from: 'R18-S2',
      to: 'R18-S3',
      metric: 'certified',
      amount: 100,
      reason: '新校开办',
    });
    expect(res.status).toBe(200);
    expect(res.body.schools.find((s: any) => s.code === 'R18-S3').quota).toEqual(share(0, 100, 0));
    expect(res.body.remaining).toEqual(share(0, 0, 0));
    expect(await annualOf('R18-S3')).toEqual({ training: 0, certified: 100, advanced: null, onePlusX: 0 });
    expect(await annualOf('R18-S3', instants.beforeTransfer)).toEqual({
      training: null,
      certified: null,
      advanced: null,
      onePlusX: null,
    });
    const [row] = await h.db.query(
      `SELECT owes_from, certified::int FROM allocation_shares WHERE school_code = 'R18-S3'`,
    );
    expect(row).toEqual({ owes_from: '2024-04', certified: 100 });
  });

  it('shows a raise as remaining, and assigns it after publishing only with a reason', async () => {
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const raised = await h
      .as(admin)
      .post('/api/v1/plans/2024/adjustments')
      .set('If-Match', plan.headers.etag)
      .send({ unitCode: 'R18', quota: { training: 1570 }, reason: '省里调增' });
    expect(raised.status).toBe(200);
    expect((await h.as(operator).get(BASE)).body.remaining).toEqual(share(100, 0, 0));
    instants.beforeAssign = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const noReason = await put('R18-S3', share(100, 100, 0));
    expect(noReason.status).toBe(409);
    expect(noReason.body.code).toBe('ALLOCATION_PUBLISHED');
    const over = await put('R18-S3', { ...share(101, 100, 0), reason: '调增任务' });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('ALLOCATION_EXCEEDS_QUOTA');
    const ok = await put('R18-S3', { ...share(100, 100, 0), reason: '调增任务' });
    expect(ok.status).toBe(200);
    expect(ok.body.remaining).toEqual(share(0, 0, 0));
    const history = await h.as(admin).get('/api/v1/audit/events?stream=allocation-2024-R18&limit=100');
    const last = history.body.events.at(-1);
    expect(last.data).toMatchObject({ schoolCode: 'R18-S3', reason: '调增任务', previous: share(0, 100, 0) });
    expect(await annualOf('R18-S3')).toEqual({ training: 100, certified: 100, advanced: null, onePlusX: 0 });
    // Read as it stood before the raise was assigned: the share the transfer gave, nothing more.
    expect(await annualOf('R18-S3', instants.beforeAssign)).toEqual({
      training: 0,
      certified: 100,
      advanced: null,
      onePlusX: 0,
    });
  });

  it('refuses a transfer to a school of another region, or to a hostile code', async () => {
    await registerSchool(h, 'R17-S1', 'R17');
    for (const to of ['R17-S1', 'constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const res = await transfer({ from: 'R18-S1', to, metric: 'training', amount: 1, reason: '调剂' });
      // Refused at the door (400: not a unit code) or by the split (404: not a school of the region).
      expect(to === 'R17-S1' ? [404] : [400, 404]).toContain(res.status);
    }
    const from = await transfer({
      from: 'constructor',
      to: 'R18-S1',
      metric: 'training',
      amount: 1e9,
      reason: '调剂',
    });
    expect([400, 404]).toContain(from.status);
    const after = await h.as(operator).get(BASE);
    expect(after.body.allocated).toEqual(share(1570, 1200, 210));
  });
});
