import { createHmac } from 'node:crypto';
import { ADMIN, startApp, type Harness } from '../support/app';

const b64 = (o: object | string) =>
  Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const sign = (header: object, payload: object, secret: string) => {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
};

describe('tokens and logins', () => {
  let h: Harness;
  let valid: string;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({
    sub: 'admin',
    role: 'province-admin',
    unit: 'province',
    gen: 0,
    iss: 'skills-ledger',
    aud: 'skills-ledger-api',
    iat: now(),
    exp: now() + 600,
  });
  beforeAll(async () => {
    h = await startApp();
    valid = await h.token(ADMIN.username);
  });
  afterAll(() => h.close());

  const probe = (token: string) =>
    h.request().get('/api/v1/audit/events').set('Authorization', `Bearer ${token}`);

  it('accepts a token it issued', async () => {
    expect((await probe(valid)).status).toBe(200);
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'another secret',
      () => sign({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret-that-is-long-enough-000'),
    ],
    [
      'a swapped payload',
      () => {
        const [head, , sig] = valid.split('.');
        return `${head}.${b64({ ...claims(), sub: 'someone-else' })}.${sig}`;
      },
    ],
    [
      'an expired token',
      () => sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: now() - 10 }, process.env.JWT_SECRET!),
    ],
    [
      'a wrong audience',
      () => sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), aud: 'other' }, process.env.JWT_SECRET!),
    ],
    [
      'a wrong issuer',
      () => sign({ alg: 'HS256', typ: 'JWT' }, { ...claims(), iss: 'other' }, process.env.JWT_SECRET!),
    ],
    [
      'HS512',
      () => {
        const head = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims())}`;
        return `${head}.${createHmac('sha512', process.env.JWT_SECRET!).update(head).digest('base64url')}`;
      },
    ],
    ['garbage', () => 'not-a-token'],
  ])('refuses %s with 401', async (_name, forge) => {
    const res = await probe(forge());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token whose role no longer matches the user', async () => {
    const forged = sign(
      { alg: 'HS256', typ: 'JWT' },
      { ...claims(), role: 'auditor' },
      process.env.JWT_SECRET!,
    );
    expect((await probe(forged)).status).toBe(401);
  });

  it('locks one username after 5 failures with 429, leaving other users alone', async () => {
    await h.user('locked-user', 'auditor', 'province');
    for (let i = 0; i < 5; i++) {
      const res = await h
        .request()
        .post('/api/v1/auth/login')
        .send({ username: 'locked-user', password: 'wrong-password' });
      expect(res.status).toBe(401);
    }
    const locked = await h
      .request()
      .post('/api/v1/auth/login')
      .send({ username: 'locked-user', password: 'locked-user-password' });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    const other = await h.request().post('/api/v1/auth/login').send(ADMIN);
    expect(other.status).toBe(200);
    h.clock.advance(15 * 60 * 1000 + 1000);
    const later = await h
      .request()
      .post('/api/v1/auth/login')
      .send({ username: 'locked-user', password: 'locked-user-password' });
    expect(later.status).toBe(200);
  });

  it('refuses a disabled user, even with a token issued before', async () => {
    const token = await h.user('to-disable', 'auditor', 'province');
    const admin = await h.token(ADMIN.username);
    const user = await h.as(admin).get('/api/v1/users/to-disable');
    const res = await h.as(admin).post('/api/v1/users/to-disable/disable').set('If-Match', user.headers.etag);
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect((await probe(token)).status).toBe(401);
    expect(
      (
        await h
          .request()
          .post('/api/v1/auth/login')
          .send({ username: 'to-disable', password: 'to-disable-password' })
      ).status,
    ).toBe(401);
  });

  it('changes its own password with the current one', async () => {
    const token = await h.user('pw-user', 'auditor', 'province');
    const wrong = await h
      .as(token)
      .post('/api/v1/auth/password')
      .send({ currentPassword: 'nope', newPassword: 'new-password-1' });
    expect(wrong.status).toBe(401);
    const ok = await h
      .as(token)
      .post('/api/v1/auth/password')
      .send({ currentPassword: 'pw-user-password', newPassword: 'new-password-1' });
    expect(ok.status).toBe(200);
    expect(
      (await h.request().post('/api/v1/auth/login').send({ username: 'pw-user', password: 'new-password-1' }))
        .status,
    ).toBe(200);
  });

  it('sends security headers and no CORS allowance by default', async () => {
    const res = await h.request().get('/health').set('Origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
