import { Logger } from '@nestjs/common';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { DeadlineQueue } from '../../libs/application/src/deadlines/deadline-queue';
import { ReminderService } from '../../libs/application/src/deadlines/reminders.service';
import { startApp, type Harness } from '../support/app';
import { seeder } from './seed';
import { uniquePrefix } from './worker-harness';

jest.setTimeout(30_000);

describe('deadlines over HTTP', () => {
  let h: Harness;
  let seed: ReturnType<typeof seeder>;
  let admin: string;
  let auditor: string;
  let filler: string;
  const reminders = () => h.app.get(ReminderService).run();
  const overdueCount = async () =>
    (await h.db.query(`SELECT count(*)::int AS n FROM events WHERE type = 'ReportMarkedOverdue'`))[0].n;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    process.env.BULLMQ_PREFIX = uniquePrefix();
    h = await startApp({ now: '2024-03-01T02:00:00Z' });
    seed = seeder(h.app.get(CommandExecutor), h.clock);
    await seed.publishPlan(2024, { at: '2024-03-01T02:00:00Z' });
    await seed.registerSchool('R01-S01', 'R01', '2024-01-03T03:00:00Z');
    await seed.registerSchool('R01-S02', 'R01', '2024-01-03T03:00:00Z');
    await seed.publishSplit('R01', ['R01-S01', 'R01-S02'], '2024-01-03T03:00:00Z');
    admin = await h.token('admin');
    auditor = await h.user('auditor1', 'auditor', 'province');
    filler = await h.user('filler-u01', 'filler', 'U01');
    await h.user('leader-u01', 'leader', 'U01');
    await h.user('op-r01', 'region-operator', 'R01');
  }, 180_000);
  afterAll(async () => {
    const redis = h.app.get(DeadlineQueue).connection;
    const keys = await redis.keys(`${process.env.BULLMQ_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await h.close();
  });

  describe('POST /api/v1/admin/deadline-sweeps', () => {
    it('answers 401 without a token and 403 to anyone but a province admin, recording nothing', async () => {
      h.clock.set('2024-03-02T02:00:00Z');
      expect((await h.request().post('/api/v1/admin/deadline-sweeps')).status).toBe(401);
      const refused = await h.as(filler).post('/api/v1/admin/deadline-sweeps');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      expect(await overdueCount()).toBe(0);
    });

    it('runs the sweep now and answers 202 with what it recorded; a second run records nothing', async () => {
      const res = await h.as(admin).post('/api/v1/admin/deadline-sweeps');
      expect(res.status).toBe(202);
      // January and February have passed for the three plan units and the two schools.
      expect(res.body).toMatchObject({
        checkedAt: '2024-03-02T02:00:00.000Z',
        due: 10,
        missing: 10,
        overdueRecorded: 10,
        failed: 0,
      });
      expect(res.body.recorded[0]).toEqual({
        unitCode: 'H01',
        period: '2024-01',
        deadline: '2024-01-30T16:00:00.000Z',
      });
      const again = await h.as(admin).post('/api/v1/admin/deadline-sweeps').send({ ignored: true });
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ overdueRecorded: 0, missing: 10 });
      expect(await overdueCount()).toBe(10);
    });

    it('replays the answer for the same Idempotency-Key, and ties the events to the request', async () => {
      h.clock.set('2024-03-31T00:00:00Z'); // March's deadline has passed
      const first = await h
        .as(admin)
        .post('/api/v1/admin/deadline-sweeps')
        .set('Idempotency-Key', 'sweep-1')
        .set('X-Request-Id', 'sweep-req-1');
      expect(first.status).toBe(202);
      expect(first.body.overdueRecorded).toBe(5);
      // Recorded by the system, traceable to the admin's request.
      const march = await h.db.query(
        `SELECT metadata FROM events WHERE type = 'ReportMarkedOverdue' AND stream_id LIKE '%-2024-03'`,
      );
      expect(march).toHaveLength(5);
      for (const { metadata } of march) {
        expect(metadata).toMatchObject({
          requestId: first.headers['x-request-id'],
          clientRequestId: 'sweep-req-1',
          actor: { userId: 'system', role: 'system' },
        });
      }
      const replay = await h
        .as(admin)
        .post('/api/v1/admin/deadline-sweeps')
        .set('Idempotency-Key', 'sweep-1');
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });
  });

  describe('reminders', () => {
    it('reminds each unit that has not submitted, once, a configurable number of days before', async () => {
      await seed.submit('H01', '2024-04', '2024-04-20T02:00:00Z');
      h.clock.set('2024-04-27T15:59:00Z'); // 3 days before April's deadline (2024-04-30T16:00Z): not yet
      const early = await reminders();
      expect(early.remindersSent).toBe(0);

      h.clock.set('2024-04-27T16:00:00Z');
      const first = await reminders();
      // U01: its filler and its leader; R01 and the two schools have no accounts: recorded on the unit.
      expect(first).toMatchObject({ remindersSent: 5, failed: 0 });
      h.clock.set('2024-04-28T16:00:00Z');
      expect((await reminders()).remindersSent).toBe(0);

      const res = await h.as(auditor).get('/api/v1/admin/reminders?period=2024-04&kind=reminder');
      expect(res.status).toBe(200);
      expect(res.body.period).toBe('2024-04');
      expect(res.body.reminders.map((r: any) => [r.unitCode, r.recipient, r.channel])).toEqual([
        ['R01', 'unit:R01', 'log'],
        ['R01-S01', 'unit:R01-S01', 'log'],
        ['R01-S02', 'unit:R01-S02', 'log'],
        ['U01', 'filler-u01', 'log'],
        ['U01', 'leader-u01', 'log'],
      ]);
      expect(res.body.reminders[3]).toMatchObject({
        kind: 'reminder',
        unitName: '郑州大学',
        sentAt: '2024-04-27T16:00:00.000Z',
        deliveredAt: '2024-04-27T16:00:00.000Z',
        error: null,
      });
    });

    it("sends the region's operator one digest of its late schools after the deadline", async () => {
      await seed.submit('R01-S02', '2024-04', '2024-04-29T02:00:00Z'); // on time
      await seed.submit('R01-S01', '2024-04', '2024-05-01T02:00:00Z'); // late
      h.clock.set('2024-05-01T03:00:00Z');
      expect((await reminders()).digestsSent).toBe(1);
      expect((await reminders()).digestsSent).toBe(0);
      const res = await h.as(admin).get('/api/v1/admin/reminders?period=2024-04&kind=digest');
      expect(res.body.reminders).toEqual([
        expect.objectContaining({ unitCode: 'R01', recipient: 'op-r01', kind: 'digest', channel: 'log' }),
      ]);
    });

    it('lets only the province and auditors list reminders, and checks the period', async () => {
      expect((await h.as(filler).get('/api/v1/admin/reminders')).status).toBe(403);
      const bad = await h.as(auditor).get('/api/v1/admin/reminders?period=2024-13');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const all = await h.as(auditor).get('/api/v1/admin/reminders');
      expect(all.status).toBe(200);
      expect(all.body.period).toBeNull();
    });
  });

  describe('the queue dashboard at /admin/queues', () => {
    it('refuses callers without a token (401) and anyone but a province admin (403)', async () => {
      const anonymous = await h.request().get('/admin/queues');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      const forged = await h.request().get('/admin/queues/api/queues').set('Authorization', 'Bearer a.b.c');
      expect(forged.status).toBe(401);
      const auditorTry = await h.as(auditor).get('/admin/queues/api/queues');
      expect(auditorTry.status).toBe(403);
      expect(auditorTry.body.detail).toMatch(/省级管理员/);
    });

    it('shows the deadlines queue to a province admin', async () => {
      const page = await h.as(admin).get('/admin/queues');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const api = await h.as(admin).get('/admin/queues/api/queues');
      expect(api.status).toBe(200);
      expect(api.body.queues.map((q: any) => q.name)).toEqual(['deadlines']);
    });
  });

  describe('the dashboard in a browser (cookie session)', () => {
    it('turns a bearer token into an HttpOnly, SameSite=Strict cookie scoped to the dashboard', async () => {
      const session = await h.as(admin).post('/admin/queues/session');
      expect(session.status).toBe(204);
      const cookie = session.headers['set-cookie'][0];
      expect(cookie).toMatch(
        /^skills_queues=[\w.-]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
      );
      const jar = cookie.split(';')[0];
      const page = await h.request().get('/admin/queues/api/queues').set('Cookie', jar);
      expect(page.status).toBe(200);
      // Changes by cookie only from the dashboard's own origin.
      const crossSite = await h
        .request()
        .put('/admin/queues/api/queues/deadlines/pause')
        .set('Cookie', jar)
        .set('Sec-Fetch-Site', 'cross-site');
      expect(crossSite.status).toBe(403);
      const noOrigin = await h.request().put('/admin/queues/api/queues/deadlines/pause').set('Cookie', jar);
      expect(noOrigin.status).toBe(403);
      // A cookie cannot mint another cookie.
      const minted = await h
        .request()
        .post('/admin/queues/session')
        .set('Cookie', jar)
        .set('Sec-Fetch-Site', 'same-origin');
      expect(minted.status).toBe(401);
      const cleared = await h
        .request()
        .delete('/admin/queues/session')
        .set('Cookie', jar)
        .set('Sec-Fetch-Site', 'same-origin');
      expect(cleared.status).toBe(204);
      expect(cleared.headers['set-cookie'][0]).toMatch(/Max-Age=0/);
    });

    it("refuses an auditor's token in the cookie too", async () => {
      const res = await h.request().get('/admin/queues/api/queues').set('Cookie', `skills_queues=${auditor}`);
      expect(res.status).toBe(403);
    });
  });

  it('lists the routes in the OpenAPI document', async () => {
    const res = await h.request().get('/api/docs-json');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/admin/deadline-sweeps', '/api/v1/admin/reminders']),
    );
  });
});
