import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

const BASE = '/api/v1/plans/2024/regions/R18/allocation';

describe('a region splits its task among its schools', () => {
  let h: Harness;
  let admin: string;
  let operator: string;
  let otherOperator: string;
  beforeAll(async () => {
    h = await startApp();
    admin = await h.token('admin');
    await publishPlan2024(h);
    operator = await h.user('jiyuan-op', 'region-operator', 'R18');
    otherOperator = await h.user('zz-op', 'region-operator', 'R01');
  });
  afterAll(() => h.close());

  const version = async () => Number((await h.as(operator).get(BASE)).headers.etag.replace(/"/g, ''));

  it('lets the region operator register its schools, and no other region', async () => {
    const own = await h
      .as(operator)
      .post('/api/v1/units')
      .send({ code: 'R18-S1', name: '济源职业中专', kind: 'city-secondary', parentCode: 'R18' });
    expect(own.status).toBe(201);
    expect(own.body).toEqual({
      code: 'R18-S1',
      name: '济源职业中专',
      kind: 'city-secondary',
      parentCode: 'R18',
    });
    const other = await h
      .as(otherOperator)
      .post('/api/v1/units')
      .send({ code: 'R18-S9', name: 'x', kind: 'city-secondary', parentCode: 'R18' });
    expect(other.status).toBe(403);
    const dup = await h
      .as(operator)
      .post('/api/v1/units')
      .send({ code: 'R18-S1', name: 'y', kind: 'city-secondary', parentCode: 'R18' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('UNIT_CODE_TAKEN');
    const planCode = await h
      .as(admin)
      .post('/api/v1/units')
      .send({ code: 'U01', name: 'y', kind: 'city-secondary', parentCode: 'R18' });
    expect(planCode.status).toBe(409);
    await registerSchool(h, 'R18-S2', 'R18');
    await registerSchool(h, 'R18-S3', 'R18');
    const list = await h.as(operator).get('/api/v1/units?parent=R18');
    expect(list.body.map((u: any) => u.code)).toEqual(['R18-S1', 'R18-S2', 'R18-S3']);
  });

  it('starts as an empty draft with the whole task remaining', async () => {
    const res = await h.as(operator).get(BASE);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"0"');
    expect(res.body).toEqual({
      region: 'R18',
      version: 0,
      status: 'draft',
      quota: { training: 1470, certified: 1200, onePlusX: 210 },
      allocated: { training: 0, certified: 0, onePlusX: 0 },
      remaining: { training: 1470, certified: 1200, onePlusX: 210 },
      schools: [],
    });
  });

  it('refuses another region operator and a filler', async () => {
    expect((await h.as(otherOperator).get(BASE)).status).toBe(403);
    const filler = await h.user('js-filler', 'filler', 'R18-S1');
    expect((await h.as(filler).get(BASE)).status).toBe(403);
  });

  it('sets shares, refusing a sum above the task with ALLOCATION_EXCEEDS_QUOTA', async () => {
    const put = (school: string, share: object, v: number) =>
      h.as(operator).put(`${BASE}/schools/${school}`).set('If-Match', `"${v}"`).send(share);
    expect((await put('R18-S1', { training: 700, certified: 600, onePlusX: 100 }, 0)).status).toBe(200);
    const over = await put('R18-S2', { training: 800, certified: 500, onePlusX: 100 }, 1);
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('ALLOCATION_EXCEEDS_QUOTA');
    const ok = await put('R18-S2', { training: 500, certified: 400, onePlusX: 60 }, 1);
    expect(ok.status).toBe(200);
    expect(ok.body.remaining).toEqual({ training: 270, certified: 200, onePlusX: 50 });
    expect((await put('R18-X', { training: 1, certified: 1, onePlusX: 1 }, 2)).status).toBe(404);
    expect((await put('R18-S3', { training: -1, certified: 1, onePlusX: 1 }, 2)).status).toBe(400);
    expect((await put('R18-S3', { training: '5', certified: 1, onePlusX: 1 }, 2)).status).toBe(400);
  });

  it('refuses to publish while anything remains, then publishes', async () => {
    const early = await h
      .as(operator)
      .post(`${BASE}/publish`)
      .set('If-Match', `"${await version()}"`);
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('ALLOCATION_INCOMPLETE');
    await h
      .as(operator)
      .put(`${BASE}/schools/R18-S3`)
      .set('If-Match', `"${await version()}"`)
      .send({ training: 270, certified: 200, onePlusX: 50 });
    h.clock.advance(60_000);
    const res = await h
      .as(operator)
      .post(`${BASE}/publish`)
      .set('If-Match', `"${await version()}"`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('published');
    const late = await h
      .as(operator)
      .put(`${BASE}/schools/R18-S3`)
      .set('If-Match', `"${await version()}"`)
      .send({ training: 1, certified: 1, onePlusX: 1 });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ALLOCATION_PUBLISHED');
  });

  it('moves quota between schools with a reason, never more than the giver holds', async () => {
    const too = await h
      .as(operator)
      .post(`${BASE}/transfers`)
      .set('If-Match', `"${await version()}"`)
      .send({ from: 'R18-S3', to: 'R18-S1', metric: 'training', amount: 271, reason: '调剂' });
    expect(too.status).toBe(422);
    expect(too.body.code).toBe('TRANSFER_EXCEEDS_SHARE');
    const ok = await h
      .as(operator)
      .post(`${BASE}/transfers`)
      .set('If-Match', `"${await version()}"`)
      .send({ from: 'R18-S3', to: 'R18-S1', metric: 'training', amount: 70, reason: '调剂' });
    expect(ok.status).toBe(200);
    expect(ok.body.schools.find((s: any) => s.code === 'R18-S1').quota.training).toBe(770);
    expect(ok.body.remaining).toEqual({ training: 0, certified: 0, onePlusX: 0 });
  });

  it('lets one of 20 racing transfers at one version win; the others get 412 and the sums hold', async () => {
    const v = await version();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h
          .as(operator)
          .post(`${BASE}/transfers`)
          .set('If-Match', `"${v}"`)
          .send({ from: 'R18-S1', to: 'R18-S2', metric: 'certified', amount: 1, reason: '并发调剂' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const after = await h.as(operator).get(BASE);
    expect(after.body.allocated).toEqual(after.body.quota);
    expect(after.body.schools.map((s: any) => s.quota.certified)).toEqual([599, 401, 200]);
    const [{ sum }] = await h.db.query(
      `SELECT sum(certified)::int AS sum FROM allocation_shares WHERE region_code = 'R18'`,
    );
    expect(sum).toBe(1200);
  });

  it('refuses an adjustment that cuts the region below what it already split', async () => {
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const res = await h
      .as(admin)
      .post('/api/v1/plans/2024/adjustments')
      .set('If-Match', plan.headers.etag)
      .send({ unitCode: 'R18', quota: { training: 1000 }, reason: '调减' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ALLOCATION_EXCEEDS_QUOTA');
  });

  it('shows the split as it stood before publishing', async () => {
    const events = await h.as(admin).get('/api/v1/audit/events?stream=allocation-2024-R18&limit=1000');
    const published = events.body.events.find((e: any) => e.type === 'AllocationPublished');
    const justBefore = new Date(new Date(published.recordedAt).getTime() - 1).toISOString();
    const res = await h.as(operator).get(`${BASE}?asOf=${encodeURIComponent(justBefore)}`);
    expect(res.body.status).toBe('draft');
  });
});
