import { ProjectionRunner } from '../../libs/event-store/src';
import { ASYNC_PROJECTIONS } from '../../libs/application/src/read-models/registry';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, publishSplit, registerSchool } from '../support/plan';
import { type Figures, reportSteps, reportUrl } from './report-steps';

const add = (...list: Figures[]): Figures =>
  list.reduce(
    (s, f) => ({
      training: s.training + f.training,
      certified: s.certified + f.certified,
      advanced: s.advanced + f.advanced,
      onePlusX: s.onePlusX + f.onePlusX,
    }),
    { training: 0, certified: 0, advanced: 0, onePlusX: 0 },
  );
const zero: Figures = { training: 0, certified: 0, advanced: 0, onePlusX: 0 };

describe('progress and timeliness over official figures', () => {
  let h: Harness;
  let steps: ReturnType<typeof reportSteps>;
  let admin: string;
  let auditor: string;
  let regionOp: string;
  let otherRegionOp: string;
  const people: Record<string, { filler: string; leader: string; reviewer: string }> = {};

  const u01Jan: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
  const u01Feb: Figures = { training: 700, certified: 550, advanced: 300, onePlusX: 100 };
  const s1Jan: Figures = { training: 100, certified: 80, advanced: 10, onePlusX: 20 };
  const s2Jan: Figures = { training: 50, certified: 40, advanced: 0, onePlusX: 5 };
  const r01Jan: Figures = { training: 151, certified: 120, advanced: 10, onePlusX: 25 };

  /** The worker's ProjectionLoop, one pass: progress is an async read model. */
  const catchUp = () => new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now()).catchUp();

  beforeAll(async () => {
    h = await startApp({ now: '2024-01-05T02:00:00.000Z' });
    steps = reportSteps(h);
    admin = await h.token('admin');
    auditor = await h.user('auditor', 'auditor', 'province');
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01');
    await registerSchool(h, 'R01-S2', 'R01');
    regionOp = await h.user('zz-op', 'region-operator', 'R01');
    otherRegionOp = await h.user('kf-op', 'region-operator', 'R02');
    for (const [unit, reviewer] of [
      ['U01', admin],
      ['R01', admin],
      ['R01-S1', regionOp],
      ['R01-S2', regionOp],
      ['U02', admin],
    ] as const) {
      people[unit] = {
        filler: await h.user(`${unit}-filler`, 'filler', unit),
        leader: await h.user(`${unit}-leader`, 'leader', unit),
        reviewer,
      };
    }
    // A school has a task only once its region publishes the split (API.md v1.1): R01-S2 gets the rest.
    await publishSplit(
      h,
      regionOp,
      'R01',
      [['R01-S1', { training: 2000, certified: 1600, onePlusX: 300 }]],
      'R01-S2',
    );

    h.clock.set('2024-01-20T02:00:00.000Z');
    await steps.official(people.U01, 'U01', '2024-01', u01Jan);
    await steps.official(people['R01-S1'], 'R01-S1', '2024-01', s1Jan);
    await steps.official(people['R01-S2'], 'R01-S2', '2024-01', s2Jan);
    await steps.official(people.R01, 'R01', '2024-01', r01Jan);
    h.clock.set('2024-02-20T02:00:00.000Z');
    await steps.official(people.U01, 'U01', '2024-02', u01Feb);
    // Submitted in time but not yet reviewed: on time, and not official.
    await steps.enter(people['R01-S1'].filler, 'R01-S1', '2024-02', s1Jan);
    await steps.sign(people['R01-S1'].filler, 'R01-S1', '2024-02', '王五', '0371-1');
    await steps.sign(people['R01-S1'].leader, 'R01-S1', '2024-02', '赵六');
    h.clock.set('2024-03-15T02:00:00.000Z');
  }, 120_000);
  afterAll(() => h.close());

  it("shows a region's figures beside its schools' sum on the report, and warns when they differ", async () => {
    const res = await h.as(admin).get(reportUrl('R01', '2024-01'));
    expect(res.body.schoolsSum).toEqual(add(s1Jan, s2Jan));
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'REGION_DIFFERS_FROM_SCHOOLS' })]);
    expect(res.body.warnings[0].message).toContain('本级填报 151，所属学校合计 150');
    expect(res.body.annual).toEqual({ training: 80600, certified: 68300, advanced: null, onePlusX: 12420 });
  });

  it('shows warnings on a draft and to its reviewer, without refusing anything', async () => {
    // U02's task: 4750 / 4000 / 2500 / 720.
    const odd = { training: 7200, certified: 100, advanced: 50, onePlusX: 150 };
    const draft = await steps.enter(people.U02.filler, 'U02', '2024-03', odd);
    expect(draft.status).toBe(200);
    const codes = draft.body.warnings.map((w: any) => w.code);
    expect(codes).toEqual([
      'ONE_PLUS_X_EXCEEDS_CERTIFIED',
      'MONTH_ABOVE_HALF_ANNUAL',
      'CUMULATIVE_ABOVE_150_PERCENT',
    ]);
    await steps.sign(people.U02.filler, 'U02', '2024-03', '张三', '0371-1');
    await steps.sign(people.U02.leader, 'U02', '2024-03', '李四');
    const seen = await h.as(admin).get(reportUrl('U02', '2024-03'));
    expect(seen.body.status).toBe('submitted');
    expect(seen.body.warnings.map((w: any) => w.code)).toEqual(codes);
  });

  it('adds up the plan units for the province, with schools inside their region’s row', async () => {
    await catchUp();
    const res = await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-02');
    expect(res.status).toBe(200);
    expect(res.body.period).toBe('2024-02');
    expect(res.body.units).toHaveLength(151);
    expect(res.body.units.some((u: any) => u.code.startsWith('R01-S'))).toBe(false);
    const u01 = res.body.units.find((u: any) => u.code === 'U01');
    expect(u01).toMatchObject({
      name: '郑州工业应用技术学院',
      kind: 'undergraduate',
      annual: { training: 7400, certified: 6300, advanced: 3200, onePlusX: 1140 },
      month: u01Feb,
      cumulative: add(u01Jan, u01Feb),
      rate: { training: 17.6, certified: 16.7, advanced: 17.5, onePlusX: 16.7 },
      status: 'accepted',
      timeliness: 'on-time',
    });
    const r01 = res.body.units.find((u: any) => u.code === 'R01');
    expect(r01).toMatchObject({ month: null, cumulative: r01Jan, schoolsSum: zero, status: 'not-started' });
    expect(r01.timeliness).toBe('missing');
    expect(res.body.units.find((u: any) => u.code === 'R02').schoolsSum).toBeNull();
    expect(res.body.totals).toEqual({
      annual: { training: 1_000_000, certified: 830_000, advanced: 300_000, onePlusX: 150_000 },
      month: u01Feb,
      cumulative: add(u01Jan, u01Feb, r01Jan),
      rate: { training: 0.1, certified: 0.1, advanced: 0.2, onePlusX: 0.1 },
    });
    expect(res.body.projection.lag).toBe(0);
  });

  it("carries a region's own figures and its schools' sum for the month", async () => {
    const res = await h.as(auditor).get('/api/v1/plans/2024/progress?period=2024-01');
    const r01 = res.body.units.find((u: any) => u.code === 'R01');
    expect(r01).toMatchObject({ month: r01Jan, cumulative: r01Jan, schoolsSum: add(s1Jan, s2Jan) });
    expect(r01.rate.advanced).toBeNull();
  });

  it("lists a region's schools for its operator, with their shares as tasks", async () => {
    const res = await h.as(regionOp).get('/api/v1/plans/2024/progress?period=2024-02&region=R01');
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: any) => u.code)).toEqual(['R01-S1', 'R01-S2']);
    expect(res.body.units[0]).toMatchObject({
      annual: { training: 2000, certified: 1600, advanced: null, onePlusX: 300 },
      month: null,
      cumulative: s1Jan,
      rate: { training: 5, certified: 5, advanced: null, onePlusX: 6.7 },
      status: 'submitted',
      timeliness: 'on-time',
    });
    expect(res.body.units[1]).toMatchObject({
      annual: { training: 78600, certified: 66700, advanced: null, onePlusX: 12120 },
      rate: { training: 0.1, certified: 0.1, advanced: null, onePlusX: 0 },
      timeliness: 'missing',
    });
    expect(res.body.totals.cumulative).toEqual(add(s1Jan, s2Jan));
    expect(res.body.totals.annual).toEqual({
      training: 80600,
      certified: 68300,
      advanced: null,
      onePlusX: 12420,
    });
  });

  it('lets region operators see their own region only, and refuses fillers', async () => {
    expect((await h.as(regionOp).get('/api/v1/plans/2024/progress?period=2024-02')).status).toBe(403);
    expect(
      (await h.as(otherRegionOp).get('/api/v1/plans/2024/progress?period=2024-02&region=R01')).status,
    ).toBe(403);
    expect((await h.as(people.U01.filler).get('/api/v1/plans/2024/progress?period=2024-02')).status).toBe(
      403,
    );
    expect((await h.as(regionOp).get('/api/v1/plans/2024/timeliness?period=2024-02&region=R01')).status).toBe(
      200,
    );
  });

  it('answers 400 to a bad period and 404 outside the plan', async () => {
    expect((await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-2')).status).toBe(400);
    expect((await h.as(admin).get('/api/v1/plans/2024/progress')).status).toBe(400);
    expect((await h.as(admin).get('/api/v1/plans/2025/progress?period=2025-02')).status).toBe(404);
    expect((await h.as(admin).get('/api/v1/plans/2024/progress?period=2023-02')).status).toBe(404);
    expect((await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-02&region=U01')).status).toBe(404);
  });

  it('counts on-time, late, missing and pending reports against the deadline', async () => {
    const feb = await h.as(admin).get('/api/v1/plans/2024/timeliness?period=2024-02');
    expect(feb.status).toBe(200);
    expect(feb.body).toMatchObject({
      period: '2024-02',
      deadline: '2024-02-29T16:00:00.000Z',
      counts: { onTime: 1, late: 0, missing: 150, pending: 0, notOwed: 0 },
    });
    expect(feb.body.units.find((u: any) => u.code === 'U01')).toMatchObject({
      timeliness: 'on-time',
      submittedAt: '2024-02-20T02:00:00.000Z',
    });
    const march = await h.as(admin).get('/api/v1/plans/2024/timeliness?period=2024-03');
    expect(march.body.counts).toEqual({ onTime: 1, late: 0, missing: 0, pending: 150, notOwed: 0 });
    const schools = await h.as(regionOp).get('/api/v1/plans/2024/timeliness?period=2024-02&region=R01');
    expect(schools.body.units.map((u: any) => [u.code, u.timeliness])).toEqual([
      ['R01-S1', 'on-time'],
      ['R01-S2', 'missing'],
    ]);
  });

  it('moves later cumulative figures when an earlier month is amended and accepted', async () => {
    const amended = { ...u01Jan, training: 900 };
    expect((await steps.amend(people.U01.filler, 'U01', '2024-01', amended, '补录')).status).toBe(200);
    await catchUp();
    const pending = await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-02');
    expect(pending.body.units.find((u: any) => u.code === 'U01').cumulative.training).toBe(1300);
    await steps.sign(people.U01.filler, 'U01', '2024-01', '张三', '0371-1');
    await steps.sign(people.U01.leader, 'U01', '2024-01', '李四');
    await steps.review(admin, 'U01', '2024-01', 'accept');
    const lagging = await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-02');
    expect(lagging.body.projection.lag).toBeGreaterThan(0);
    await catchUp();
    const res = await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-02');
    const u01 = res.body.units.find((u: any) => u.code === 'U01');
    expect(u01.cumulative.training).toBe(1600);
    expect(u01.rate.training).toBe(21.6);
    expect(res.body.totals.cumulative.training).toBe(1600 + 151);
  });

  it("tolerates the worker's overdue marks on report streams", async () => {
    const sweep = await h.as(admin).post('/api/v1/admin/deadline-sweeps');
    expect(sweep.status).toBe(202);
    const marked = await h.as(people.R01.filler).get(reportUrl('R01', '2024-02'));
    expect(marked.status).toBe(200);
    expect(marked.headers.etag).toBe('"1"');
    expect(marked.body).toMatchObject({
      status: 'not-started',
      version: 1,
      overdue: true,
      timeliness: 'missing',
    });
    const late = await h
      .as(people.R01.filler)
      .put(reportUrl('R01', '2024-02'))
      .set('If-Match', '"1"')
      .send({ figures: zero });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ status: 'draft', version: 2, overdue: true });
    const res = await h.as(admin).get('/api/v1/plans/2024/timeliness?period=2024-02');
    expect(res.body.units.find((u: any) => u.code === 'R01')).toMatchObject({
      timeliness: 'missing',
      overdue: true,
    });
  });
});
