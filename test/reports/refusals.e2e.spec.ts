import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';
import { eventCount, type Figures, reportSteps, reportUrl } from './report-steps';

const MARCH = reportUrl('U01', '2024-03');
const ok: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };

describe('refused report commands record nothing', () => {
  let h: Harness;
  let steps: ReturnType<typeof reportSteps>;
  let admin: string;
  let auditor: string;
  let filler: string;
  let leader: string;
  let otherFiller: string;
  let regionOp: string;
  let schoolFiller: string;

  beforeAll(async () => {
    h = await startApp();
    steps = reportSteps(h);
    admin = await h.token('admin');
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01');
    filler = await h.user('u01-filler', 'filler', 'U01');
    leader = await h.user('u01-leader', 'leader', 'U01');
    otherFiller = await h.user('u02-filler', 'filler', 'U02');
    regionOp = await h.user('zz-op', 'region-operator', 'R01');
    auditor = await h.user('auditor', 'auditor', 'province');
    schoolFiller = await h.user('s1-filler', 'filler', 'R01-S1');
  }, 60_000);
  afterAll(() => h.close());

  /** Runs `work`, and checks that the ledger did not grow. */
  const refused = async <T>(work: () => Promise<T>): Promise<T> => {
    const before = await eventCount(h);
    const result = await work();
    expect(await eventCount(h)).toBe(before);
    return result;
  };
  const put = (body: unknown, url = MARCH, version = '"0"') =>
    h
      .as(filler)
      .put(url)
      .set('If-Match', version)
      .send(body as object);

  it.each([
    ['a negative figure', { figures: { ...ok, training: -1 } }],
    ['a fractional figure', { figures: { ...ok, certified: 1.5 } }],
    ['a figure above 1,000,000,000', { figures: { ...ok, onePlusX: 1_000_000_001 } }],
    ['a figure sent as a string', { figures: { ...ok, training: '600' } }],
    ['a null figure', { figures: { ...ok, advanced: null } }],
    ['a missing figure', { figures: { training: 1, certified: 1, advanced: 1 } }],
    ['an unknown field inside the figures', { figures: { ...ok, extra: 1 } }],
    ['an unknown field at the top', { figures: ok, status: 'accepted' }],
    ['no figures at all', { note: '空' }],
    ['figures that are not an object', { figures: [1, 2, 3, 4] }],
    ['a note that is not text', { figures: ok, note: 5 }],
  ])('answers 400 VALIDATION_FAILED to %s', async (_, body) => {
    const res = await refused(() => put(body));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 400 to malformed JSON, a body that is not an object, and a malformed period', async () => {
    const malformed = await refused(() =>
      h
        .as(filler)
        .put(MARCH)
        .set('If-Match', '"0"')
        .set('Content-Type', 'application/json')
        .send('{"figures": {'),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    const array = await refused(() =>
      h.as(filler).put(MARCH).set('If-Match', '"0"').set('Content-Type', 'application/json').send('[1]'),
    );
    expect(array.status).toBe(400);
    for (const period of ['2024-13', '2024-3', '24-03', '2024-00']) {
      const res = await refused(() => put({ figures: ok }, reportUrl('U01', period)));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect((await h.as(admin).get(reportUrl('U01', period))).status).toBe(400);
    }
  });

  it('answers 404 for a month of a year with no plan, or a unit outside the plan', async () => {
    const noPlan = await refused(() => put({ figures: ok }, reportUrl('U01', '2025-03')));
    expect(noPlan.status).toBe(404);
    expect(noPlan.body.code).toBe('NOT_FOUND');
    expect((await h.as(admin).get(reportUrl('U01', '2025-03'))).status).toBe(404);
    expect((await h.as(admin).get(reportUrl('X99', '2024-03'))).status).toBe(404);
    expect((await h.as(admin).get(reportUrl('province', '2024-03'))).status).toBe(404);
    expect((await h.as(admin).get(`${reportUrl('X99', '2024-03')}/history`)).status).toBe(404);
  });

  it('refuses a month that has not begun with PERIOD_NOT_OPEN', async () => {
    const res = await refused(() => put({ figures: ok }, reportUrl('U01', '2024-04')));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PERIOD_NOT_OPEN');
  });

  it('refuses advanced above certified with ADVANCED_EXCEEDS_CERTIFIED', async () => {
    const res = await refused(() => put({ figures: { ...ok, advanced: 501 } }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ADVANCED_EXCEEDS_CERTIFIED');
  });

  it('needs If-Match (428) and refuses a stale one (412)', async () => {
    const missing = await refused(() => h.as(filler).put(MARCH).send({ figures: ok }));
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('PRECONDITION_REQUIRED');
    const stale = await refused(() => put({ figures: ok }, MARCH, '"4"'));
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
  });

  it('lets only the unit’s filler enter figures', async () => {
    for (const token of [leader, otherFiller, admin, auditor, regionOp, schoolFiller]) {
      const res = await refused(() => h.as(token).put(MARCH).set('If-Match', '"0"').send({ figures: ok }));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('refuses signatures out of order with INVALID_TRANSITION', async () => {
    const noFigures = await refused(() => steps.sign(filler, 'U01', '2024-03', '张三', '0371-69691788'));
    expect(noFigures.status).toBe(422);
    expect(noFigures.body.code).toBe('INVALID_TRANSITION');
    expect((await steps.enter(filler, 'U01', '2024-03', ok)).status).toBe(200);
    const leaderFirst = await refused(() => steps.sign(leader, 'U01', '2024-03', '李四'));
    expect(leaderFirst.status).toBe(422);
    expect(leaderFirst.body.code).toBe('INVALID_TRANSITION');
    const noPhone = await refused(() => steps.sign(filler, 'U01', '2024-03', '张三'));
    expect(noPhone.status).toBe(400);
    const notSubmitted = await refused(() => steps.review(admin, 'U01', '2024-03', 'accept'));
    expect(notSubmitted.status).toBe(422);
    expect(notSubmitted.body.code).toBe('INVALID_TRANSITION');
    const notAccepted = await refused(() => steps.amend(filler, 'U01', '2024-03', ok, '更正'));
    expect(notAccepted.status).toBe(422);
    expect(notAccepted.body.code).toBe('INVALID_TRANSITION');
  });

  it('refuses a leader who signs with the filler’s name with SAME_SIGNER', async () => {
    expect((await steps.sign(filler, 'U01', '2024-03', '张三', '0371-69691788')).status).toBe(200);
    const same = await refused(() => steps.sign(leader, 'U01', '2024-03', '张 三'));
    expect(same.status).toBe(422);
    expect(same.body.code).toBe('SAME_SIGNER');
    expect((await steps.sign(leader, 'U01', '2024-03', '李四')).status).toBe(200);
  });

  it('refuses a return without a reason, and review by anyone but the reviewer', async () => {
    const noReason = await refused(() => steps.review(admin, 'U01', '2024-03', 'return', '  '));
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('REASON_REQUIRED');
    const badDecision = await refused(() =>
      h.as(admin).post(`${MARCH}/review`).set('If-Match', '"3"').send({ decision: 'approve' }),
    );
    expect(badDecision.status).toBe(400);
    for (const token of [filler, leader, auditor, regionOp]) {
      const res = await refused(() =>
        h.as(token).post(`${MARCH}/review`).set('If-Match', '"3"').send({ decision: 'accept' }),
      );
      expect(res.status).toBe(403);
    }
  });

  it('replays an Idempotency-Key without recording twice', async () => {
    const send = () =>
      h
        .as(filler)
        .put(reportUrl('U01', '2024-02'))
        .set('If-Match', '"0"')
        .set('Idempotency-Key', 'feb-entry-1')
        .send({ figures: ok });
    const first = await send();
    expect(first.status).toBe(200);
    const again = await refused(send);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe('"1"');
  });

  it('lets only the readers of a unit read its report and history', async () => {
    expect((await h.as(otherFiller).get(MARCH)).status).toBe(403);
    expect((await h.as(schoolFiller).get(MARCH)).status).toBe(403);
    expect((await h.as(regionOp).get(MARCH)).status).toBe(403);
    expect((await h.as(auditor).get(`${MARCH}/history`)).status).toBe(200);
    expect((await h.as(regionOp).get(reportUrl('R01-S1', '2024-03'))).status).toBe(200);
    expect((await h.as(regionOp).get(reportUrl('R01', '2024-03'))).status).toBe(200);
  });
});
