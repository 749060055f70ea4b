import { startApp, type Harness } from '../support/app';
import { PLAN_2024_CSV, publishPlan2024, registerSchool } from '../support/plan';
import { eventCount, reportSteps, reportUrl } from '../reports/report-steps';

const SPLIT = '/api/v1/plans/2024/regions/R18/allocation';
const FIGURES = { training: 10, certified: 5, advanced: 1, onePlusX: 1 };

/** API.md v1.1 "Closing a year": every command on the year → 409 YEAR_CLOSED, nothing recorded. */
describe('a closed year', () => {
  let h: Harness;
  let admin: string;
  let operator: string;
  let filler: string;
  let leader: string;
  let steps: ReturnType<typeof reportSteps>;
  let beforeClose: string;

  const etag = async (token: string, url: string) => (await h.as(token).get(url)).headers.etag as string;

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-05T02:00:00.000Z' });
    steps = reportSteps(h);
    admin = await h.token('admin');
    await publishPlan2024(h);
    operator = await h.user('jy-op', 'region-operator', 'R18');
    filler = await h.user('u01-filler', 'filler', 'U01');
    leader = await h.user('u01-leader', 'leader', 'U01');
    await registerSchool(h, 'R18-S1', 'R18');
    await registerSchool(h, 'R18-S2', 'R18');
    await h
      .as(operator)
      .put(`${SPLIT}/schools/R18-S1`)
      .set('If-Match', '"0"')
      .send({ training: 1470, certified: 1200, onePlusX: 210 });
    expect((await steps.enter(filler, 'U01', '2024-03', FIGURES)).status).toBe(200);
  }, 60_000);
  afterAll(() => h.close());

  it('closes with a reason, shown on the plan', async () => {
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const noReason = await h
      .as(admin)
      .post('/api/v1/plans/2024/close')
      .set('If-Match', plan.headers.etag)
      .send({});
    expect(noReason.status).toBe(400);
    const byOperator = await h
      .as(operator)
      .post('/api/v1/plans/2024/close')
      .set('If-Match', plan.headers.etag)
      .send({ reason: '年度结束' });
    expect(byOperator.status).toBe(403);
    beforeClose = h.clock.now().toISOString();
    h.clock.advance(60_000);
    const closed = await h
      .as(admin)
      .post('/api/v1/plans/2024/close')
      .set('If-Match', plan.headers.etag)
      .send({ reason: '年度结束' });
    expect(closed.status).toBe(200);
    expect(closed.body.closed).toBe(true);
    expect((await h.as(admin).get('/api/v1/plans/2024')).body.closed).toBe(true);
    const asOf = await h.as(admin).get(`/api/v1/plans/2024?asOf=${encodeURIComponent(beforeClose)}`);
    expect(asOf.body.closed).toBe(false);
  });

  it('refuses every command kind on the year with 409 YEAR_CLOSED and records nothing', async () => {
    const before = await eventCount(h);
    const planTag = await etag(admin, '/api/v1/plans/2024');
    const splitTag = await etag(operator, SPLIT);
    const reportTag = await etag(filler, reportUrl('U01', '2024-03'));
    const attempts: [string, () => Promise<{ status: number; body: any }>][] = [
      [
        'plan import',
        () => h.as(admin).put('/api/v1/plans/2024').set('Content-Type', 'text/csv').send(PLAN_2024_CSV),
      ],
      [
        'adjustment',
        () =>
          h
            .as(admin)
            .post('/api/v1/plans/2024/adjustments')
            .set('If-Match', planTag)
            .send({ unitCode: 'U01', quota: { training: 1 }, reason: '调整' }),
      ],
      [
        'reporting start',
        () =>
          h
            .as(admin)
            .post('/api/v1/plans/2024/reporting-start')
            .set('If-Match', planTag)
            .send({ period: '2024-02', reason: '调整' }),
      ],
      [
        'close again',
        () => h.as(admin).post('/api/v1/plans/2024/close').set('If-Match', planTag).send({ reason: '再关' }),
      ],
      [
        'settings',
        () =>
          h.as(admin).put('/api/v1/plans/2024/settings').set('If-Match', planTag).send({ requireScan: true }),
      ],
      [
        'share',
        () =>
          h
            .as(operator)
            .put(`${SPLIT}/schools/R18-S2`)
            .set('If-Match', splitTag)
            .send({ training: 0, certified: 0, onePlusX: 0 }),
      ],
      ['publish', () => h.as(operator).post(`${SPLIT}/publish`).set('If-Match', splitTag)],
      [
        'transfer',
        () =>
          h
            .as(operator)
            .post(`${SPLIT}/transfers`)
            .set('If-Match', splitTag)
            .send({ from: 'R18-S1', to: 'R18-S2', metric: 'training', amount: 1, reason: '调剂' }),
      ],
      [
        'figures',
        () =>
          h.as(filler).put(reportUrl('U01', '2024-03')).set('If-Match', reportTag).send({ figures: FIGURES }),
      ],
      [
        'signature',
        () =>
          h
            .as(filler)
            .post(`${reportUrl('U01', '2024-03')}/signatures`)
            .set('If-Match', reportTag)
            .send({ name: '张三', phone: '0371-1' }),
      ],
      [
        'refusal',
        () =>
          h
            .as(leader)
            .post(`${reportUrl('U01', '2024-03')}/signatures/refusals`)
            .set('If-Match', reportTag)
            .send({ name: '李四', reason: '不同意' }),
      ],
      [
        'review',
        () =>
          h
            .as(admin)
            .post(`${reportUrl('U01', '2024-03')}/review`)
            .set('If-Match', reportTag)
            .send({ decision: 'accept' }),
      ],
      [
        'amendment',
        () =>
          h
            .as(filler)
            .post(`${reportUrl('U01', '2024-03')}/amendments`)
            .set('If-Match', reportTag)
            .send({ figures: FIGURES, reason: '更正' }),
      ],
    ];
    for (const [kind, attempt] of attempts) {
      const res = await attempt();
      expect([kind, res.status, res.body.code]).toEqual([kind, 409, 'YEAR_CLOSED']);
      expect(res.body.detail).toContain('已关闭');
    }
    // The deadline sweep leaves a closed year alone.
    h.clock.set('2024-05-05T02:00:00.000Z');
    const sweep = await h.as(admin).post('/api/v1/admin/deadline-sweeps');
    expect(sweep.status).toBe(202);
    expect(sweep.body.overdueRecorded).toBe(0);
    expect(await eventCount(h)).toBe(before);
    // Reads still answer.
    expect((await h.as(filler).get(reportUrl('U01', '2024-03'))).status).toBe(200);
  });

  it('reopens with a reason, and then takes commands again', async () => {
    const tag = await etag(admin, '/api/v1/plans/2024');
    const reopened = await h
      .as(admin)
      .post('/api/v1/plans/2024/reopen')
      .set('If-Match', tag)
      .send({ reason: '更正三月数据' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.closed).toBe(false);
    const again = await h
      .as(admin)
      .post('/api/v1/plans/2024/reopen')
      .set('If-Match', reopened.headers.etag)
      .send({ reason: '再开' });
    expect(again.status).toBe(422);
    expect((await steps.enter(filler, 'U01', '2024-03', { ...FIGURES, training: 11 })).status).toBe(200);
    const history = await h.as(admin).get('/api/v1/audit/events?stream=plan-2024&limit=100');
    expect(history.body.events.map((e: any) => e.type)).toEqual([
      'PlanPublished',
      'PlanYearClosed',
      'PlanYearReopened',
    ]);
  });
});
