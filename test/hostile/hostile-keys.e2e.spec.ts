import { startApp, type Harness } from '../support/app';
import { PLAN_2024_CSV, publishPlan2024, registerSchool } from '../support/plan';

jest.setTimeout(60_000);

const HOSTILE = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const SPLIT = '/api/v1/plans/2024/regions/R18/allocation';

/**
 * Codes that name what every plain object inherits never become units, never reach a decider's state
 * as a key, and a transfer moves quota only between schools registered under the region.
 */
describe('hostile unit codes', () => {
  let h: Harness;
  let admin: string;
  const head = async () => Number((await h.db.query('SELECT max(position) AS p FROM events'))[0].p ?? 0);

  beforeAll(async () => {
    h = await startApp();
    admin = await h.token('admin');
  });
  afterAll(() => h.close());

  it('refuses a plan file with such a code, naming the row, and records nothing', async () => {
    const csv = `${PLAN_2024_CSV.toString('utf8').trimEnd()}\ntoString,某学院,undergraduate,10,5,1,0\n`;
    const before = await head();
    const res = await h.as(admin).put('/api/v1/plans/2024').set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('INVALID_CODE');
    expect(await head()).toBe(before);
  });

  it.each(HOSTILE)('refuses to register a school coded %s', async (code) => {
    await publishPlan2024(h).catch(() => undefined);
    const before = await head();
    const res = await h
      .as(admin)
      .post('/api/v1/units')
      .send({ code, name: '某校', kind: 'city-secondary', parentCode: 'R18' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await head()).toBe(before);
  });

  it.each(HOSTILE)('answers an adjustment of %s with 400, never a 500', async (unitCode) => {
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const res = await h
      .as(admin)
      .post('/api/v1/plans/2024/adjustments')
      .set('If-Match', plan.headers.etag)
      .send({ unitCode, quota: { training: 1 }, reason: '调整' });
    expect(res.status).toBe(400);
  });

  it('moves quota only between schools of the region: hostile or foreign codes record nothing', async () => {
    await registerSchool(h, 'R18-S1', 'R18');
    await registerSchool(h, 'R18-S2', 'R18');
    await registerSchool(h, 'R01-S1', 'R01');
    const send = async (method: 'put' | 'post', url: string, body: object) => {
      const etag = (await h.as(admin).get(SPLIT)).headers.etag;
      return h.as(admin)[method](url).set('If-Match', etag).send(body);
    };
    const share = { training: 735, certified: 600, onePlusX: 105 };
    expect((await send('put', `${SPLIT}/schools/R18-S1`, share)).status).toBe(200);
    expect((await send('put', `${SPLIT}/schools/R18-S2`, share)).status).toBe(200);
    expect((await send('post', `${SPLIT}/publish`, {})).status).toBe(200);

    const before = await head();
    const transfer = (from: string, to: string) =>
      send('post', `${SPLIT}/transfers`, { from, to, metric: 'training', amount: 5, reason: '调剂' });
    for (const code of HOSTILE) {
      expect((await transfer(code, 'R18-S1')).status).toBe(400);
      expect((await transfer('R18-S1', code)).status).toBe(400);
    }
    expect((await transfer('R18-S1', 'R01-S1')).status).toBe(404);
    expect((await transfer('R01-S1', 'R18-S1')).status).toBe(404);
    expect(await head()).toBe(before);
    const split = (await h.as(admin).get(SPLIT)).body;
    expect(split.allocated).toEqual({ training: 1470, certified: 1200, onePlusX: 210 });
  });
});
