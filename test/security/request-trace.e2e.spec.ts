import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

jest.setTimeout(60_000);

/** What a client sends in headers never becomes a trusted part of the ledger or of a download. */
describe('request ids and download names', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startApp();
    admin = await h.token('admin');
    await publishPlan2024(h);
  });
  afterAll(() => h.close());

  const metadataOf = async (code: string) =>
    (
      await h.db.query<{ metadata: { requestId: string; clientRequestId?: string } }>(
        `SELECT metadata FROM events WHERE stream_id = $1`,
        [`unit-${code}`],
      )
    )[0].metadata;

  it("records the server's request id, and the client's own id beside it as clientRequestId", async () => {
    const res = await h
      .as(admin)
      .post('/api/v1/units')
      .set('X-Request-Id', 'office-pc-42')
      .send({ code: 'R18-T1', name: '某校', kind: 'city-secondary', parentCode: 'R18' });
    expect(res.status).toBe(201);
    const serverId = res.headers['x-request-id'];
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    const metadata = await metadataOf('R18-T1');
    expect(metadata).toMatchObject({ requestId: serverId, clientRequestId: 'office-pc-42' });
  });

  it("never lets a client's id pose as another request's, and drops one that is too long", async () => {
    const first = await metadataOf('R18-T1');
    const reused = await h
      .as(admin)
      .post('/api/v1/units')
      .set('X-Request-Id', first.requestId)
      .send({ code: 'R18-T2', name: '某校', kind: 'city-secondary', parentCode: 'R18' });
    expect(reused.status).toBe(201);
    expect((await metadataOf('R18-T2')).requestId).not.toBe(first.requestId);

    const long = await h
      .as(admin)
      .post('/api/v1/units')
      .set('X-Request-Id', 'x'.repeat(65))
      .send({ code: 'R18-T3', name: '某校', kind: 'city-secondary', parentCode: 'R18' });
    expect(long.status).toBe(201);
    const metadata = await metadataOf('R18-T3');
    expect(metadata.clientRequestId).toBeUndefined();
    expect(metadata.requestId).toBe(long.headers['x-request-id']);
  });

  it("quotes a school's free-text name in Content-Disposition and keeps filename*", async () => {
    const name = '某校"; filename="evil.html';
    await registerSchool(h, 'R18-Q1', 'R18', name);
    const res = await h.as(admin).get('/api/v1/units/R18-Q1/reports/2024-03/form.xlsx');
    expect(res.status).toBe(200);
    const header: string = res.headers['content-disposition'];
    const [fallback, star] = /^attachment; filename="([^"\\]*)"; filename\*=UTF-8''([^;\s]+)$/
      .exec(header)!
      .slice(1);
    expect(fallback).toBe('___-___; filename=_evil.html-2024-03.xlsx');
    expect(decodeURIComponent(star)).toBe(`月报表-${name}-2024-03.xlsx`);
  });
});
