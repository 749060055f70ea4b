import { createHash } from 'node:crypto';
import { ProjectionRunner } from '../../libs/event-store/src';
import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from '../../libs/application/src/read-models/registry';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

const READ_TABLES = [...new Set([...INLINE_PROJECTIONS, ...ASYNC_PROJECTIONS].flatMap((p) => p.tables))];

/** sha256 over every row of every read table, rows in a fixed order: equal digests, equal read models. */
async function digests(h: Harness): Promise<Record<string, { rows: number; sha256: string }>> {
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const table of READ_TABLES) {
    const rows = await h.db.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY to_jsonb(t)::text COLLATE "C"`,
    );
    const sha256 = createHash('sha256')
      .update(rows.map((r) => r.row).join('\n'))
      .digest('hex');
    out[table] = { rows: rows.length, sha256 };
  }
  return out;
}

/** Replaying the log rebuilds exactly the read models the service built live, while it keeps serving reads. */
describe('rebuilding read models from the log', () => {
  let h: Harness;
  let admin: string;
  let auditor: string;
  const catchUp = () => new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now()).catchUp();
  const eventCount = async () => Number((await h.db.query('SELECT count(*) AS n FROM events'))[0].n);

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-01T02:00:00.000Z' });
    admin = await h.token('admin');
    await publishPlan2024(h);
    auditor = await h.user('auditor1', 'auditor', 'province');
    const operator = await h.user('zz-op', 'region-operator', 'R01');
    await h.user('u01-filler', 'filler', 'U01');
    await h.user('u01-leader', 'leader', 'U01');
    await registerSchool(h, 'R01-S1', 'R01');
    await registerSchool(h, 'R01-S2', 'R01');
    await h.user('s1-filler', 'filler', 'R01-S1', 'zz-op');

    h.clock.set('2024-03-05T02:00:00.000Z');
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const adjusted = await h
      .as(admin)
      .post('/api/v1/plans/2024/adjustments')
      .set('If-Match', plan.headers.etag)
      .send({ unitCode: 'U01', quota: { training: 7500 }, reason: '招生计划调整' });
    expect(adjusted.status).toBe(200);

    const base = '/api/v1/plans/2024/regions/R01/allocation';
    let version = 0;
    const step = async (res: { status: number; headers: Record<string, string> }) => {
      expect(res.status).toBe(200);
      version = Number(res.headers.etag.replace(/"/g, ''));
    };
    const quota = (await h.as(operator).get(base)).body.quota;
    const half = (n: number) => Math.floor(n / 2);
    await step(
      await h
        .as(operator)
        .put(`${base}/schools/R01-S1`)
        .set('If-Match', `"${version}"`)
        .send({
          training: half(quota.training),
          certified: half(quota.certified),
          onePlusX: half(quota.onePlusX),
        }),
    );
    await step(
      await h
        .as(operator)
        .put(`${base}/schools/R01-S2`)
        .set('If-Match', `"${version}"`)
        .send({
          training: quota.training - half(quota.training),
          certified: quota.certified - half(quota.certified),
          onePlusX: quota.onePlusX - half(quota.onePlusX),
        }),
    );
    await step(await h.as(operator).post(`${base}/publish`).set('If-Match', `"${version}"`));
    await step(
      await h
        .as(operator)
        .post(`${base}/transfers`)
        .set('If-Match', `"${version}"`)
        .send({ from: 'R01-S1', to: 'R01-S2', metric: 'training', amount: 10, reason: '学校调整' }),
    );

    const got = await h.as(admin).get('/api/v1/users/u01-leader');
    const disabled = await h
      .as(admin)
      .post('/api/v1/users/u01-leader/disable')
      .set('If-Match', got.headers.etag);
    expect(disabled.status).toBe(200);

    const platform = await h
      .as(admin)
      .put('/api/v1/plans/2024/platform-figures/2024-03')
      .set('Content-Type', 'text/csv')
      .send('unitCode,training\nU01,120\nR01,300\n');
    expect(platform.status).toBe(200);

    // The March deadline passes: the sweep records the missing reports, which fills the report read models.
    h.clock.set('2024-04-02T02:00:00.000Z');
    expect((await h.as(admin).post('/api/v1/admin/deadline-sweeps')).status).toBe(202);
    await catchUp();
  }, 60_000);
  afterAll(() => h.close());

  it('covers every read table, with data in the ones this test feeds', async () => {
    const live = await digests(h);
    const fed = ['users', 'units', 'plans', 'plan_units', 'allocations', 'allocation_shares', 'reports'];
    for (const table of [...fed, 'platform_imports', 'platform_figures']) {
      expect([table, live[table].rows > 0]).toEqual([table, true]);
    }
  });

  it('answers 202 with the events replayed, and rebuilds exactly the live read models', async () => {
    const live = await digests(h);
    // Damage the read models behind the service's back: the rebuild must restore them from the log alone.
    await h.db.query(`UPDATE users SET display_name = 'tampered'`);
    await h.db.query(`DELETE FROM plan_units WHERE code = 'R01'`);
    await h.db.query(`DELETE FROM allocation_shares`);
    expect(await digests(h)).not.toEqual(live);

    const res = await h.as(admin).post('/api/v1/admin/projections/rebuild');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ events: await eventCount(), durationMs: expect.any(Number) });
    expect(await digests(h)).toEqual(live);
  });

  it('keeps answering reads during a rebuild and loses no write that arrives meanwhile', async () => {
    const rebuild = h.as(admin).post('/api/v1/admin/projections/rebuild');
    const reads = Array.from({ length: 5 }, () => h.as(auditor).get('/api/v1/plans/2024'));
    const write = h.user('late-filler', 'filler', 'U02');
    const [rebuilt, ...answers] = await Promise.all([rebuild, ...reads]);
    await write;
    expect(rebuilt.status).toBe(202);
    for (const a of answers) expect(a.status).toBe(200);
    const users = await h.db.query(`SELECT username FROM users WHERE username = 'late-filler'`);
    expect(users).toHaveLength(1);

    await catchUp();
    const live = await digests(h);
    expect((await h.as(admin).post('/api/v1/admin/projections/rebuild')).status).toBe(202);
    expect(await digests(h)).toEqual(live);
  });

  it('shows every projection caught up after a rebuild', async () => {
    const res = await h.as(auditor).get('/api/v1/admin/projections');
    expect(res.status).toBe(200);
    const names = [...INLINE_PROJECTIONS, ...ASYNC_PROJECTIONS].map((p) => p.name);
    expect(res.body.map((p: any) => p.name)).toEqual(names);
    for (const p of res.body) expect(p).toMatchObject({ position: await eventCount(), lag: 0 });
  });

  it('lets only a province admin rebuild', async () => {
    const res = await h.as(auditor).post('/api/v1/admin/projections/rebuild');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});
