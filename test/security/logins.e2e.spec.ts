import { addressDelayMs } from '../../libs/application/src/users/login-throttle';
import { startApp, type Harness } from '../support/app';

jest.setTimeout(120_000);

/** Password guessing is bounded per account, slowed per address, and a password change ends old tokens. */
describe('logins under attack', () => {
  let h: Harness;
  beforeAll(async () => {
    // Requests arrive from loopback as if through a proxy, so each test can speak from its own address.
    process.env.TRUST_PROXY = 'loopback';
    h = await startApp({ now: '2024-03-15T02:00:00.000Z' });
  });
  afterAll(async () => {
    delete process.env.TRUST_PROXY;
    await h.close();
  });

  const login = (username: string, password: string, from = '198.51.100.1') =>
    h.request().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });
  const statuses = (list: { status: number }[]) =>
    list.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});

  it('judges at most 5 of 40 parallel wrong passwords for one account; the rest get 429', async () => {
    await h.user('race-user', 'auditor', 'province');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login('race-user', `wrong-${i}`, '198.51.100.2')),
    );
    const counted = statuses(answers);
    expect(counted[401]).toBeLessThanOrEqual(5);
    // The rest are refused unjudged: 429, or 503 when a loaded machine's pool could not serve them in time.
    expect(Object.keys(counted).filter((status) => !['401', '429', '503'].includes(status))).toEqual([]);
    expect(counted[429]).toBeGreaterThan(0);
    expect((await login('race-user', 'race-user-password', '198.51.100.3')).status).toBe(429);
    const [{ n }] = await h.db.query(
      `SELECT count(*)::int AS n FROM login_failures WHERE username = 'race-user'`,
    );
    expect(n).toBeLessThanOrEqual(5);
  });

  it('records the address the trusted proxy names', async () => {
    await login('nobody-here', 'wrong', '192.0.2.99');
    const rows = await h.db.query(`SELECT address FROM login_failures WHERE username = 'nobody-here'`);
    expect(rows).toEqual([{ address: '192.0.2.99' }]);
  });

  it('slows an address that sprays failures, and still lets an unlocked account in within 5 s', async () => {
    const office = '203.0.113.7';
    await h.user('office-user', 'auditor', 'province');
    // A spray's trail as failed logins leave it (55 argon2 runs would only slow the test): 54 rows
    // over many usernames, and one more failure through the API.
    await h.db.query(
      `INSERT INTO login_failures (username, address, at)
       SELECT 'spray-' || i, $1, $2::timestamptz - make_interval(secs => i) FROM generate_series(1, 54) i`,
      [office, h.clock.now()],
    );
    expect((await login('spray-0', 'guess', office)).status).toBe(401);
    // The same login from a quiet address first: argon2 alone can take seconds on a loaded machine.
    let started = Date.now();
    expect((await login('office-user', 'office-user-password', '198.51.100.9')).status).toBe(200);
    const quietMs = Date.now() - started;
    started = Date.now();
    const ok = await login('office-user', 'office-user-password', office);
    expect(ok.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(Math.max(5000, quietMs + addressDelayMs(Infinity) + 1000));
    expect(addressDelayMs(Infinity)).toBeLessThanOrEqual(2500);

    const [{ n }] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM login_failures WHERE address = $1`,
      [office],
    );
    expect(n).toBeGreaterThanOrEqual(55);
    const slowStart = Date.now();
    const failed = await login('spray-late', 'guess', office);
    expect(failed.status).toBe(401);
    expect(Date.now() - slowStart).toBeGreaterThanOrEqual(addressDelayMs(n));
    expect(addressDelayMs(n)).toBeGreaterThan(300);
  });

  it('ends every token issued before a password change; the answer carries a fresh one', async () => {
    // The test clock stands in 2024, long before the real time tokens are signed at: one clock decides.
    const first = await h.user('pw-user', 'auditor', 'province');
    const second = (await login('pw-user', 'pw-user-password')).body.accessToken;
    const changed = await h
      .as(first)
      .post('/api/v1/auth/password')
      .send({ currentPassword: 'pw-user-password', newPassword: 'new-password-1' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ username: 'pw-user', changed: true, expiresIn: expect.any(Number) });
    for (const old of [first, second]) {
      const res = await h.as(old).get('/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    expect((await h.as(changed.body.accessToken).get('/api/v1/auth/me')).body).toMatchObject({
      username: 'pw-user',
      role: 'auditor',
    });
    const fresh = await login('pw-user', 'new-password-1');
    expect(fresh.status).toBe(200);
    expect((await h.as(fresh.body.accessToken).get('/api/v1/auth/me')).status).toBe(200);
    expect((await login('pw-user', 'pw-user-password')).status).toBe(401);
  });

  it('counts a wrong current password like a failed login: no password oracle', async () => {
    const token = await h.user('pw-guess', 'auditor', 'province');
    for (let i = 0; i < 5; i++) {
      const res = await h
        .as(token)
        .post('/api/v1/auth/password')
        .send({ currentPassword: `guess-${i}`, newPassword: 'new-password-2' });
      expect(res.status).toBe(401);
    }
    const right = await h
      .as(token)
      .post('/api/v1/auth/password')
      .send({ currentPassword: 'pw-guess-password', newPassword: 'new-password-2' });
    expect(right.status).toBe(429);
    expect((await login('pw-guess', 'pw-guess-password')).status).toBe(429);
    h.clock.advance(15 * 60 * 1000 + 1000);
    expect((await login('pw-guess', 'pw-guess-password')).status).toBe(200);
  });
});
