import { readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generateSigningKeyPair,
  loadSigningKey,
  signCheckpoint,
} from '../../libs/application/src/audit/checkpoint-signature';
import { writeCheckpointFile } from '../../libs/application/src/audit/checkpoints';
import { Database } from '../../libs/platform/src/database';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { tempDir } from './support';

const AUDIT_ENV = [
  'AUDIT_SIGNING_KEY_FILE',
  'AUDIT_CHECKPOINT_DIR',
  'AUDIT_PUBLIC_KEY',
  'AUDIT_PUBLIC_KEY_FILE',
];

describe('the audit API', () => {
  let h: Harness;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let checkpointDir: string;
  let owner: Database;
  let admin: string;
  let auditor: string;
  let filler: string;
  let operator: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    dir = await tempDir();
    const keyFile = join(dir.path, 'signing.pem');
    await writeFile(keyFile, generateSigningKeyPair().privateKeyPem);
    checkpointDir = join(dir.path, 'checkpoints');
    for (const name of AUDIT_ENV) saved[name] = process.env[name];
    delete process.env.AUDIT_PUBLIC_KEY;
    delete process.env.AUDIT_PUBLIC_KEY_FILE;
    process.env.AUDIT_SIGNING_KEY_FILE = keyFile;
    process.env.AUDIT_CHECKPOINT_DIR = checkpointDir;
    h = await startApp({ now: '2024-03-01T01:00:00.000Z' });
    owner = await Database.create({ url: process.env.DATABASE_URL!, poolSize: 1 }).connect();
    admin = await h.token('admin');
    await publishPlan2024(h);
    h.clock.set('2024-03-02T01:00:00.000Z');
    auditor = await h.user('auditor1', 'auditor', 'province');
    operator = await h.user('zz-op', 'region-operator', 'R01');
    h.clock.set('2024-03-03T01:00:00.000Z');
    filler = await h.user('u01-filler', 'filler', 'U01');
    await h.user('u02-filler', 'filler', 'U02');
  }, 60_000);
  afterAll(async () => {
    await owner.close();
    await h.close();
    await dir.remove();
    for (const name of AUDIT_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  const eventCount = async () => Number((await h.db.query('SELECT count(*) AS n FROM events'))[0].n);

  describe('GET /api/v1/audit/events', () => {
    it('pages through the whole ledger in order, `next` null exactly at the end', async () => {
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
      const res = await h.as(auditor).get(`/api/v1/audit/events?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/audit/streams/{streamId}', () => {
    it('lists every event of a stream with who did it, and the stream as of an instant', async () => {
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
      const missing = await h.as(auditor).get('/api/v1/audit/streams/user-nobody');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const bad = await h.as(auditor).get('/api/v1/audit/streams/plan-2024?asOf=tomorrow');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('checkpoints and verification', () => {
    it('verifies the clean chain', async () => {
      const res = await h.as(auditor).post('/api/v1/audit/verifications');
      expect(res.status).toBe(200);
      const total = await eventCount();
      const [head] = await h.db.query('SELECT hash FROM events WHERE position = $1', [total]);
      expect(res.body).toMatchObject({
        ok: true,
        checked: total,
        head: { position: total, hash: head.hash },
        firstInvalid: null,
        checkpoints: { signatures: 'trusted-key', forged: [] },
      });
    });

    it('signs the head on demand (201), answers 200 when it is already signed, and lists it', async () => {
      const head = await eventCount();
      const signed = await h.as(admin).post('/api/v1/audit/checkpoints').send({ reason: '年度审计前封存' });
      expect(signed.status).toBe(201);
      expect(signed.body).toMatchObject({
        position: head,
        signedAt: '2024-03-10T01:00:00.000Z',
        reason: 'manual (admin): 年度审计前封存',
        signatureValid: true,
      });
      expect(await readdir(checkpointDir)).toContain(`checkpoint-${String(head).padStart(12, '0')}.json`);
      const again = await h.as(admin).post('/api/v1/audit/checkpoints');
      expect(again.status).toBe(200);
      expect(again.body.position).toBe(head);
      const list = await h.as(auditor).get('/api/v1/audit/checkpoints');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([expect.objectContaining({ position: head, signatureValid: true })]);
      const verified = await h.as(auditor).post('/api/v1/audit/verifications');
      expect(verified.body).toMatchObject({ ok: true, checkpoints: { total: 2, trusted: 2 } });
    });

    it('refuses a bad reason with 400', async () => {
      // A NUL character PostgreSQL's text refuses, found by the hostile-input suite (a 500 before).
      const bodies = [{ reason: 5 }, { reason: '' }, { reason: 'x', extra: 1 }, [1], { reason: 'a\u0000b' }];
      for (const body of bodies) {
        const res = await h.as(admin).post('/api/v1/audit/checkpoints').send(body);
        expect([body, res.status, res.body.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
      }
    });

    it('reports a checkpoint file signed with another key as forged, and does not trust it', async () => {
      const head = await eventCount();
      const [row] = await h.db.query('SELECT hash FROM events WHERE position = $1', [head - 1]);
      const other = loadSigningKey(generateSigningKeyPair().privateKeyPem);
      const forged = signCheckpoint(other, { position: head - 1, hash: row.hash }, new Date(), 'forged');
      await writeCheckpointFile(checkpointDir, forged);
      const file = join(checkpointDir, `checkpoint-${String(head - 1).padStart(12, '0')}.json`);
      try {
        const res = await h.as(auditor).post('/api/v1/audit/verifications');
        expect(res.body).toMatchObject({
          ok: false,
          checked: head,
          firstInvalid: { position: head - 1, reason: 'forged-checkpoint' },
          checkpoints: { forged: [{ position: head - 1, source: expect.stringMatching(/^file:/) }] },
        });
      } finally {
        await unlink(file);
      }
      expect((await h.as(auditor).post('/api/v1/audit/verifications')).body.ok).toBe(true);
    });

    it('reports a checkpoint row edited in the database as forged', async () => {
      const [{ position, hash }] = await h.db.query('SELECT position, hash FROM audit_checkpoints');
      const [other] = await h.db.query('SELECT hash FROM events WHERE position = 1');
      await owner.query('UPDATE audit_checkpoints SET hash = $1 WHERE position = $2', [other.hash, position]);
      try {
        const res = await h.as(auditor).post('/api/v1/audit/verifications');
        expect(res.body.firstInvalid).toMatchObject({
          position: Number(position),
          reason: 'forged-checkpoint',
        });
        const list = await h.as(auditor).get('/api/v1/audit/checkpoints');
        expect(list.body[0].signatureValid).toBe(false);
      } finally {
        await owner.query('UPDATE audit_checkpoints SET hash = $1 WHERE position = $2', [hash, position]);
      }
    });

    it('names an event edited in the database behind the service', async () => {
      const [original] = await owner.query('SELECT data FROM events WHERE position = 3');
      const tamper = (data: unknown) =>
        owner.transaction(async (tx) => {
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query('UPDATE events SET data = $1 WHERE position = 3', [JSON.stringify(data)]);
        });
      await tamper({ ...original.data, role: 'province-admin' });
      try {
        const res = await h.as(auditor).post('/api/v1/audit/verifications');
        expect(res.body).toMatchObject({
          ok: false,
          checked: 2,
          head: { position: 2 },
          firstInvalid: { position: 3, reason: 'content-edited' },
        });
      } finally {
        await tamper(original.data);
      }
      expect((await h.as(auditor).post('/api/v1/audit/verifications')).body.ok).toBe(true);
    });
  });

  describe('read models', () => {
    it('lists every projection with its position and lag; inline ones are at the head', async () => {
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
      (h.as(token) as any)[method](url) as Promise<{ status: number; body: any }>;

    it('lets an auditor read and verify, but neither sign nor rebuild', async () => {
      for (const route of reads) expect([route, (await call(auditor, route)).status]).toEqual([route, 200]);
      const before = await eventCount();
      for (const route of writes) {
        const res = await call(auditor, route);
        expect([route, res.status, res.body.code]).toEqual([route, 403, 'FORBIDDEN']);
      }
      expect(await eventCount()).toBe(before);
    });

    it('refuses fillers and region operators everything here with 403', async () => {
      for (const token of [filler, operator]) {
        for (const route of [...reads, ...writes]) {
          const res = await call(token, route);
          expect([route, res.status]).toEqual([route, 403]);
        }
      }
    });

    it('answers 401 without a token', async () => {
      for (const [method, url] of [...reads, ...writes]) {
        expect((await (h.request() as any)[method](url)).status).toBe(401);
      }
    });
  });
});
