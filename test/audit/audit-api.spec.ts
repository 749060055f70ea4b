import { oncePerBlock } from '../support/once-per-block';
import { auditApp } from './audit-app';

/** The auditor's reads of the ledger (events, streams as of an instant, read models) and who may make them. */
describe('the audit API', () => {
  const audit = oncePerBlock(auditApp, 60_000);

  describe('GET /api/v1/audit/events', () => {
    it('pages through the whole ledger in order, `next` null exactly at the end', async () => {
      const { h, auditor, eventCount } = audit;
      const seen: any[] = [];
      let after: number | null = 0;
      let pages = 0;
      while (after !== null) {
        const res = await h.as(auditor).get(`/api/v1/audit/events?after=${after}&limit=2`);
        expect(res.status).toBe(200);
        expect(res.body.events.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.events);
        after = res.body.next;
        pages += 1;
      }
      const total = await eventCount();
      expect(seen.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(pages).toBe(Math.ceil(total / 2));
      expect(Object.keys(seen[0]).sort()).toEqual(
        [
          'position',
          'streamId',
          'streamPosition',
          'type',
          'schemaVersion',
          'data',
          'metadata',
          'recordedAt',
          'prevHash',
          'hash',
        ].sort(),
      );
    });

    it('filters by stream, unit, type and time', async () => {
      const { h, auditor } = audit;
      const get = async (query: string) => {
        const res = await h.as(auditor).get(`/api/v1/audit/events?${query}`);
        expect(res.status).toBe(200);
        return res.body.events as any[];
      };
      const stream = await get('stream=user-u01-filler');
      expect(stream.map((e) => [e.streamId, e.type])).toEqual([['user-u01-filler', 'UserCreated']]);

      const types = await get('type=PlanPublished,UserCreated&limit=1000');
      expect(new Set(types.map((e) => e.type))).toEqual(new Set(['PlanPublished', 'UserCreated']));
      expect(types.filter((e) => e.type === 'UserCreated')).toHaveLength(5);

      const unit = await get('unit=U01');
      expect(unit.map((e) => e.streamId)).toEqual(['user-u01-filler']);

      const from = await get('type=UserCreated&from=2024-03-02T00:00:00Z&to=2024-03-03T01:00:00Z');
      expect(from.map((e) => e.data.username)).toEqual(['auditor1', 'zz-op']);
      const later = await get('type=UserCreated&from=2024-03-03T09:00:00%2B08:00');
      expect(later.map((e) => e.data.username)).toEqual(['u01-filler', 'u02-filler']);
    });

    it('pages within a filter', async () => {
      const { h, auditor } = audit;
      const first = await h.as(auditor).get('/api/v1/audit/events?type=UserCreated&limit=3');
      expect(first.body.events).toHaveLength(3);
      expect(first.body.next).toBe(first.body.events[2].position);
      const second = await h
        .as(auditor)
        .get(`/api/v1/audit/events?type=UserCreated&limit=3&after=${first.body.next}`);
      expect(second.body.events).toHaveLength(2);
      expect(second.body.next).toBeNull();
    });

    it.each([
      'limit=0',
      'limit=1001',
      'limit=abc',
      'after=-1',
      'after=1.5',
      'from=yesterday',
      'type=Bad%20Type',
      'unit=%20',
      'colour=red',
    ])('refuses %s with 400 VALIDATION_FAILED', async (query) => {
      const { h, auditor } = audit;
      const res = await h.as(auditor).get(`/api/v1/audit/events?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/audit/streams/{streamId}', () => {
    it('lists every event of a stream with who did it, and the stream as of an instant', async () => {
      const { h, admin, auditor } = audit;
      h.clock.set('2024-03-10T01:00:00.000Z');
      const got = await h.as(admin).get('/api/v1/users/u02-filler');
      const disabled = await h
        .as(admin)
        .post('/api/v1/users/u02-filler/disable')
        .set('If-Match', got.headers.etag);
      expect(disabled.status).toBe(200);

      const now = await h.as(auditor).get('/api/v1/audit/streams/user-u02-filler');
      expect(now.status).toBe(200);
      expect(now.headers.etag).toBe('"2"');
      expect(now.body).toHaveLength(2);
      expect(now.body[1]).toEqual({
        position: expect.any(Number),
        streamPosition: 2,
        type: 'UserDisabled',
        recordedAt: '2024-03-10T01:00:00.000Z',
        actor: 'admin',
        role: 'province-admin',
        unitCode: 'province',
        requestId: expect.any(String),
        data: expect.any(Object),
      });
      expect(now.body[0]).toMatchObject({ type: 'UserCreated', data: { username: 'u02-filler' } });

      const then = await h
        .as(auditor)
        .get('/api/v1/audit/streams/user-u02-filler?asOf=2024-03-09T23:59:59%2B08:00');
      expect(then.body.map((e: any) => e.type)).toEqual(['UserCreated']);
      expect(then.headers.etag).toBe('"1"');
      const exact = await h
        .as(auditor)
        .get('/api/v1/audit/streams/user-u02-filler?asOf=2024-03-10T09:00:00%2B08:00');
      expect(exact.body.map((e: any) => e.type)).toEqual(['UserCreated', 'UserDisabled']);
      const before = await h
        .as(auditor)
        .get('/api/v1/audit/streams/user-u02-filler?asOf=2024-01-01T00:00:00Z');
      expect(before.status).toBe(200);
      expect(before.body).toEqual([]);
    });

    it('answers 404 for a stream that never existed and 400 for a bad instant', async () => {
      const { h, auditor } = audit;
      const missing = await h.as(auditor).get('/api/v1/audit/streams/user-nobody');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const bad = await h.as(auditor).get('/api/v1/audit/streams/plan-2024?asOf=tomorrow');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('read models', () => {
    it('lists every projection with its position and lag; inline ones are at the head', async () => {
      const { h, auditor, eventCount } = audit;
      const res = await h.as(auditor).get('/api/v1/admin/projections');
      expect(res.status).toBe(200);
      const head = await eventCount();
      expect(res.body).toEqual(
        expect.arrayContaining([
          { name: 'users', position: head, lag: 0, status: 'inline', deadLetters: 0 },
          { name: 'units', position: head, lag: 0, status: 'inline', deadLetters: 0 },
        ]),
      );
      for (const p of res.body) expect(p).toEqual(expect.objectContaining({ lag: expect.any(Number) }));
    });
  });

  describe('access', () => {
    const reads: [string, string][] = [
      ['get', '/api/v1/audit/events'],
      ['post', '/api/v1/audit/verifications'],
      ['get', '/api/v1/audit/checkpoints'],
      ['get', '/api/v1/audit/streams/plan-2024'],
      ['get', '/api/v1/admin/projections'],
    ];
    const writes: [string, string][] = [
      ['post', '/api/v1/audit/checkpoints'],
      ['post', '/api/v1/admin/projections/rebuild'],
    ];
    const call = (token: string, [method, url]: [string, string]) =>
      (audit.h.as(token) as any)[method](url) as Promise<{ status: number; body: any }>;

    it('lets an auditor read and verify, but neither sign nor rebuild', async () => {
      const { auditor, eventCount } = audit;
      for (const route of reads) expect([route, (await call(auditor, route)).status]).toEqual([route, 200]);
      const before = await eventCount();
      for (const route of writes) {
        const res = await call(auditor, route);
        expect([route, res.status, res.body.code]).toEqual([route, 403, 'FORBIDDEN']);
      }
      expect(await eventCount()).toBe(before);
    });

    it('refuses fillers and region operators everything here with 403', async () => {
      const { filler, operator } = audit;
      for (const token of [filler, operator]) {
        for (const route of [...reads, ...writes]) {
          const res = await call(token, route);
          expect([route, res.status]).toEqual([route, 403]);
        }
      }
    });

    it('answers 401 without a token', async () => {
      const { h } = audit;
      for (const [method, url] of [...reads, ...writes]) {
        expect((await (h.request() as any)[method](url)).status).toBe(401);
      }
    });
  });
});
