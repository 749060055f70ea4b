import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateSigningKeyPair } from '@app/application/audit/checkpoint-signature';
import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from '@app/application/read-models/registry';
import { EventStore, rebuildProjections } from '@app/event-store';
import { Database } from '@app/platform/database';
import { seedLedger } from '../../bench/ledger-data';
import { emptyDatabase } from '../backup/support';
import { withAdmin } from '../support/databases';
import { cycles } from './chaos-mode';
import { type Child, startApi, startWorker, stopAll, uniquePrefix } from './support/children';
import { runCliProcess } from './support/cli';
import { eventually, type Ledger, privateLedger } from './support/ledger';
import { remote } from './support/remote';

/**
 * The restore drill. A ledger is loaded, backed up while clients keep writing through the api, written to
 * some more, and then lost (DROP DATABASE, with the api and worker still attached). The backup is
 * restored into an empty database and must hold exactly the events up to its manifest's head (every
 * write acknowledged before the backup began, none acknowledged after it ended), prove that against the
 * signed checkpoints, and serve again; a backup with one changed byte is refused, naming the file.
 */
const EVENTS = cycles(100_000, 5_000);
const WRITERS = 4;
const REDIS_URL = 'redis://127.0.0.1:6379';
// Before January's deadline: the worker has nothing of its own to record while the drill writes.
const FAKE_NOW = '2024-01-20T02:00:00.000Z';

type Row = { position: number; hash: string; stream_id: string };

async function events(url: string): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT position, hash, stream_id FROM events ORDER BY position');
    return rows.map((r) => ({ position: Number(r.position), hash: r.hash, stream_id: r.stream_id }));
  } finally {
    await client.end();
  }
}

describe('backup and restore drill', () => {
  const figures: string[] = [];
  afterAll(() => console.log(`backup-restore: ${figures.join('; ')}`));

  it('restores every event up to the backup head, claims nothing after it, and names a tampered file', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'skills-ledger-drill-'));
    const dropLater: { drop: () => Promise<void> }[] = [];
    let ledger: Ledger | undefined;
    let children: Child[] = [];
    const acked: { stream: string; at: number }[] = [];
    const refused: number[] = [];
    let writing = true;
    let writers: Promise<void>[] = [];
    try {
      ledger = await privateLedger();
      const keys = { signing: join(tmp, 'signing.pem'), public: join(tmp, 'public.pem') };
      const pair = generateSigningKeyPair();
      await writeFile(keys.signing, pair.privateKeyPem, { mode: 0o600 });
      await writeFile(keys.public, pair.publicKeyPem);
      const checkpointDir = join(tmp, 'offsite-checkpoints');
      const backupDir = join(tmp, 'backup');

      // A year's worth of the campaign through the real deciders, and the read models it makes.
      const seedStarted = Date.now();
      const appDb = await Database.create({ url: ledger.url, role: 'skills_app', poolSize: 4 }).connect();
      const seeded = await seedLedger(new EventStore(appDb), EVENTS, () => undefined);
      await rebuildProjections(appDb, INLINE_PROJECTIONS, ASYNC_PROJECTIONS, () => new Date(FAKE_NOW));
      await appDb.close();
      const seedMs = Date.now() - seedStarted;

      const signing = { AUDIT_SIGNING_KEY_FILE: keys.signing, AUDIT_CHECKPOINT_DIR: checkpointDir };
      const options = {
        databaseUrl: ledger.url,
        redisUrl: REDIS_URL,
        prefix: uniquePrefix('br'),
        fakeNow: FAKE_NOW,
        env: { ...signing, AUDIT_CHECKPOINT_EVERY_MS: '1000' },
      };
      // One after the other, each kept as it starts: a start that fails must not leave the other running.
      children.push(await startApi('api', options));
      children.push(await startWorker('worker', options));
      const api = remote(children[0].url);
      const admin = await api.token('admin');

      // Schools registered over HTTP: a real command each, and cheap (a user would cost an argon2 hash).
      const writer = async (w: number) => {
        for (let i = 0; writing; i++) {
          const code = `R${String(w + 1).padStart(2, '0')}-D${i}`;
          const res = await api
            .as(admin)
            .post('/api/v1/units')
            .send({ code, name: `演练学校${w}-${i}`, kind: 'city-secondary', parentCode: code.slice(0, 3) });
          if (res.status === 201) acked.push({ stream: `unit-${code}`, at: Date.now() });
          else refused.push(res.status);
        }
      };
      writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await eventually(
        async () => acked.length,
        (n) => n >= 10,
        60_000,
      );

      const backupStarted = Date.now();
      const backup = await runCliProcess(['backup', backupDir], { DATABASE_URL: ledger.url, ...signing });
      const backupEnded = Date.now();
      expect([backup.code, backup.stderr]).toEqual([0, expect.stringContaining('备份完成')]);
      await eventually(
        async () => acked.filter((a) => a.at > backupEnded).length,
        (n) => n >= 10,
        60_000,
      );
      writing = false;
      await Promise.all(writers);
      expect(refused).toEqual([]);

      const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8'));
      const head: { position: number; hash: string } = manifest.head;
      const live = await events(ledger.url);
      expect(live.length).toBeGreaterThan(head.position);
      expect(live[head.position - 1]).toMatchObject(head);

      // The database is lost while the api and the worker are still attached to it.
      const lostDatabase = new URL(ledger.url).pathname.slice(1);
      await withAdmin((c) => c.query(`DROP DATABASE ${lostDatabase} WITH (FORCE)`));
      await stopAll(children);
      children = [];

      const target = await emptyDatabase();
      dropLater.push(target);
      const restore = await runCliProcess(['restore', backupDir], {
        DATABASE_URL: target.url,
        AUDIT_PUBLIC_KEY_FILE: keys.public,
        AUDIT_CHECKPOINT_DIR: checkpointDir,
      });
      expect([restore.code, restore.stderr]).toEqual([0, '']);
      expect(restore.json).toMatchObject({
        ok: true,
        head,
        checked: head.position,
        problems: [],
        checkpoints: { signatures: 'trusted-key', forged: [] },
        readModels: { differing: [] },
      });
      expect(restore.json.checkpoints.trusted).toBeGreaterThanOrEqual(1);

      // Exactly the events up to the head, byte for byte the same chain; nothing after it.
      const restored = await events(target.url);
      expect(restored).toEqual(live.slice(0, head.position));
      const streams = new Set(restored.map((r) => r.stream_id));
      const before = acked.filter((a) => a.at < backupStarted);
      const after = acked.filter((a) => a.at > backupEnded);
      expect(before.filter((a) => !streams.has(a.stream))).toEqual([]);
      expect(after.filter((a) => streams.has(a.stream))).toEqual([]);
      const during = acked.length - before.length - after.length;

      // The restored database serves again.
      const revived = await startApi('api-restored', { ...options, databaseUrl: target.url, env: {} });
      children = [revived];
      const again = remote(revived.url);
      const health = await again.request().get('/health');
      expect(health.status).toBe(200);
      const school = await again
        .as(await again.token('admin'))
        .get(`/api/v1/units/${before[0].stream.slice(5)}`);
      expect(school.status).toBe(200);

      // One changed byte in the dump: refused before anything is restored, naming the file.
      const tampered = join(tmp, 'tampered');
      await cp(backupDir, tampered, { recursive: true });
      const dump = await readFile(join(tampered, 'database.dump'));
      dump[Math.floor(dump.length / 2)] ^= 0x01;
      await writeFile(join(tampered, 'database.dump'), dump);
      const tamperTarget = await emptyDatabase();
      dropLater.push(tamperTarget);
      const refusedRestore = await runCliProcess(['restore', tampered], {
        DATABASE_URL: tamperTarget.url,
        AUDIT_PUBLIC_KEY_FILE: keys.public,
      });
      expect(refusedRestore.code).toBe(1);
      expect(refusedRestore.stderr).toContain('文件 database.dump 的 sha256 与清单不符');
      expect(refusedRestore.json).toMatchObject({ ok: false, head: null, checked: 0 });
      expect(await events(tamperTarget.url).catch((e) => String(e))).toMatch(
        /relation "events" does not exist/,
      );

      const s = restore.json.seconds;
      const per100k = (seconds: number) => ((seconds * 100_000) / head.position).toFixed(1);
      figures.push(
        `seeded ${seeded.events} events in ${(seedMs / 1000).toFixed(1)} s; backup of ${head.position} events ` +
          `(${manifest.files.length - 1} files besides the dump, ${manifest.signedCheckpoints} signed checkpoints) ` +
          `in ${(backup.ms / 1000).toFixed(1)} s (pg_dump ${(backup.json.dumpMs / 1000).toFixed(1)} s, whole backup ${(backup.json.durationMs / 1000).toFixed(1)} s) while ${WRITERS} clients wrote (${during} writes acknowledged during it, ` +
          `${after.length} after it: not claimed); ${live.length - head.position} events lost with the database; ` +
          `restored ${restore.json.checked} events: pg_restore ${s.restore} s, chain + checkpoints ${s.verify} s, ` +
          `read models caught up, rebuilt and compared ${s.readModels} s, whole command ${(restore.ms / 1000).toFixed(1)} s ` +
          `(per 100k events: ${per100k(s.restore)} + ${per100k(s.verify)} + ${per100k(s.readModels)} s); ` +
          `tampered dump refused in ${(refusedRestore.ms / 1000).toFixed(1)} s naming database.dump`,
      );
    } finally {
      writing = false;
      await Promise.allSettled(writers);
      await stopAll(children);
      await ledger?.close().catch(() => undefined);
      for (const d of dropLater) await d.drop().catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
