import { ProjectionRunner } from '../../libs/event-store/src';
import { ASYNC_PROJECTIONS } from '../../libs/application/src/read-models/registry';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { type Figures, reportSteps, reportUrl } from './report-steps';

const march: Figures = { training: 700, certified: 600, advanced: 300, onePlusX: 100 };
const POSITION = 'x-ledger-position';

describe('reading your own writes (X-Ledger-Position and minPosition)', () => {
  let h: Harness;
  let steps: ReturnType<typeof reportSteps>;
  let admin: string;
  let people: { filler: string; leader: string; reviewer: string };
  const head = async () =>
    Number((await h.db.query('SELECT coalesce(max(position), 0) AS p FROM events'))[0].p);
  const lastOf = async (streamId: string) =>
    Number((await h.db.query('SELECT max(position) AS p FROM events WHERE stream_id = $1', [streamId]))[0].p);
  /** The worker's ProjectionLoop, one pass: progress is an async read model. */
  const catchUp = () => new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now()).catchUp();

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-20T02:00:00.000Z' });
    steps = reportSteps(h);
    admin = await h.token('admin');
    await publishPlan2024(h);
    people = {
      filler: await h.user('ryw-filler', 'filler', 'U01'),
      leader: await h.user('ryw-leader', 'leader', 'U01'),
      reviewer: admin,
    };
    await catchUp();
  }, 120_000);
  afterAll(() => h.close());

  it('answers every command with the position of the event it recorded, or the head when it recorded none', async () => {
    const entered = await steps.enter(people.filler, 'U01', '2024-03', march);
    expect(entered.status).toBe(200);
    expect(Number(entered.headers[POSITION])).toBe(await lastOf('report-U01-2024-03'));

    // The same figures again: the decider records nothing, and the answer names the head.
    await h.user('ryw-other', 'filler', 'U02');
    const same = await steps.enter(people.filler, 'U01', '2024-03', march);
    expect(same.status).toBe(200);
    expect(Number(same.headers[POSITION])).toBe(await head());
    expect(Number(same.headers[POSITION])).toBeGreaterThan(Number(entered.headers[POSITION]));
  });

  it('gives an idempotent replay the first answer’s position', async () => {
    const send = async () =>
      h.as(admin).post('/api/v1/users').set('Idempotency-Key', 'ryw-create-1').send({
        username: 'ryw-aud',
        password: 'ryw-aud-password',
        displayName: 'a',
        role: 'auditor',
        unitCode: 'province',
      });
    const first = await send();
    expect(first.status).toBe(201);
    expect(Number(first.headers[POSITION])).toBe(await lastOf('user-ryw-aud'));
    await h.user('ryw-later', 'auditor', 'province');
    const replay = await send();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers[POSITION]).toBe(first.headers[POSITION]);
  });

  it('shows an acceptance on the dashboard once the worker has projected it, waiting for it when asked to', async () => {
    await steps.sign(people.filler, 'U01', '2024-03', '张三', '0371-69691788');
    const signed = await steps.sign(people.leader, 'U01', '2024-03', '李四');
    // Status and timeliness are written with the events: the ledger reaching the position is enough.
    const timeliness = await h
      .as(admin)
      .get(`/api/v1/plans/2024/timeliness?period=2024-03&minPosition=${signed.headers[POSITION]}`);
    expect(timeliness.status).toBe(200);
    expect(timeliness.body.units.find((u: any) => u.code === 'U01').timeliness).toBe('on-time');

    const accepted = await steps.review(admin, 'U01', '2024-03', 'accept');
    const position = accepted.headers[POSITION];
    const before = await h.as(admin).get('/api/v1/plans/2024/progress?period=2024-03');
    expect(before.body.units.find((u: any) => u.code === 'U01').month?.training ?? 0).not.toBe(
      march.training,
    );

    // The worker gets to it 300 ms later; the read asking for the position waits for it.
    const worker = new Promise((resolve) => setTimeout(resolve, 300)).then(catchUp);
    const after = await h.as(admin).get(`/api/v1/plans/2024/progress?period=2024-03&minPosition=${position}`);
    await worker;
    expect(after.status).toBe(200);
    expect(after.body.units.find((u: any) => u.code === 'U01').month.training).toBe(march.training);
    expect(after.body.projection.position).toBeGreaterThanOrEqual(Number(position));
    const workbook = await h
      .as(admin)
      .get(`/api/v1/plans/2024/progress.xlsx?period=2024-03&minPosition=${position}`);
    expect(workbook.status).toBe(200);
  });

  it('answers 503 READ_MODEL_BEHIND when the read models do not reach the position within 5 s', async () => {
    const beyond = (await head()) + 1000;
    const started = Date.now();
    const res = await h.as(admin).get(`/api/v1/plans/2024/progress?period=2024-03&minPosition=${beyond}`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('READ_MODEL_BEHIND');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    const timeliness = await h
      .as(admin)
      .get(`/api/v1/plans/2024/timeliness?period=2024-03&minPosition=${beyond}`);
    expect(timeliness.body.code).toBe('READ_MODEL_BEHIND');
  }, 30_000);

  it('refuses a minPosition that is not a non-negative integer', async () => {
    for (const bad of ['-1', 'abc', '1.5', '99999999999999999999']) {
      const res = await h.as(admin).get(`/api/v1/plans/2024/progress?period=2024-03&minPosition=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('leaves reads without minPosition as they were: no wait', async () => {
    const res = await h.as(admin).get(`${reportUrl('U01', '2024-03')}`);
    expect(res.status).toBe(200);
    expect(res.headers[POSITION]).toBeUndefined();
  });
});
