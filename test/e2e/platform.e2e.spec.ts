import { ADMIN, startApp, type Harness } from '../support/app';

describe('the API platform', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());

  it('reports health of the database and Redis', async () => {
    const res = await h.request().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up', redis: 'up' });
  });

  it('serves the OpenAPI document listing the routes', async () => {
    const res = await h.request().get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/audit/events']),
    );
  });

  it('answers 401 as problem+json without a token', async () => {
    const res = await h.request().get('/api/v1/audit/events');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(res.body.detail).toMatch(/登录/);
  });

  it('logs the first admin in from the environment', async () => {
    const res = await h.request().post('/api/v1/auth/login').send(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.expiresIn).toBeGreaterThan(0);
  });

  it('refuses malformed JSON, unknown fields and wrong types with 400 VALIDATION_FAILED', async () => {
    const admin = await h.token(ADMIN.username);
    const malformed = await h
      .request()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/json')
      .send('{"username": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    const unknown = await h.as(admin).post('/api/v1/users').send({
      username: 'abc',
      password: 'password-1',
      displayName: 'x',
      role: 'auditor',
      unitCode: 'province',
      extra: 1,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'extra', code: 'whitelistValidation' })]),
    );
    const wrongType = await h
      .as(admin)
      .post('/api/v1/users')
      .send({ username: 5, password: 'password-1', displayName: 'x', role: 'auditor', unitCode: 'province' });
    expect(wrongType.status).toBe(400);
  });

  it('refuses a body of an unsupported media type with 415', async () => {
    const admin = await h.token(ADMIN.username);
    const res = await h.as(admin).post('/api/v1/users').set('Content-Type', 'text/plain').send('hello');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('creates users, refuses a duplicate with 409 USERNAME_TAKEN and records who did it', async () => {
    const admin = await h.token(ADMIN.username);
    const body = {
      username: 'auditor1',
      password: 'auditor-password',
      displayName: '审计员',
      role: 'auditor',
      unitCode: 'province',
    };
    const created = await h.as(admin).post('/api/v1/users').send(body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ username: 'auditor1', role: 'auditor', unitCode: 'province' });
    const again = await h.as(admin).post('/api/v1/users').send(body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('USERNAME_TAKEN');
    const auditor = await h.login('auditor1', 'auditor-password');
    const events = await h.as(auditor).get('/api/v1/audit/events?stream=user-auditor1');
    expect(events.status).toBe(200);
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({
      type: 'UserCreated',
      metadata: { actor: { username: 'admin', role: 'province-admin' } },
    });
    expect(JSON.stringify(events.body)).not.toContain('auditor-password');
  });

  it('replays an idempotent retry once and refuses the key for another request', async () => {
    const admin = await h.token(ADMIN.username);
    const body = {
      username: 'idem-user',
      password: 'password-123',
      displayName: 'x',
      role: 'auditor',
      unitCode: 'province',
    };
    const first = await h.as(admin).post('/api/v1/users').set('Idempotency-Key', 'k-1').send(body);
    const second = await h.as(admin).post('/api/v1/users').set('Idempotency-Key', 'k-1').send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const other = await h
      .as(admin)
      .post('/api/v1/users')
      .set('Idempotency-Key', 'k-1')
      .send({ ...body, username: 'idem-other' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const [{ count }] = await h.db.query(
      `SELECT count(*)::int AS count FROM events WHERE stream_id LIKE 'user-idem-%'`,
    );
    expect(count).toBe(1);
  });

  it('verifies the ledger', async () => {
    const admin = await h.token(ADMIN.username);
    const res = await h.as(admin).post('/api/v1/audit/verifications');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, firstInvalid: null });
    expect(res.body.checked).toBeGreaterThan(0);
  });
});
