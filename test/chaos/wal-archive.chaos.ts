import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateSigningKeyPair } from '@app/application/audit/checkpoint-signature';
import { CheckpointStore } from '@app/application/audit/checkpoints';
import { LedgerVerifier } from '@app/application/audit/ledger-verifier.service';
import { EventStore } from '@app/event-store';
import { SystemClock } from '@app/platform/clock';
import { loadConfig } from '@app/platform/config';
import { Database, migrate } from '@app/platform/database';
import { MIGRATIONS } from '../../migrations';
import { meta } from '../support/ledger-fixture';
import { sleep, untilAnswers } from './chaos-mode';
import { freePort } from './support/children';
import { privateClusterTools } from './support/private-cluster';

/**
 * Continuous protection, on a PostgreSQL cluster of the test's own (the machine's shared server cannot be
 * reconfigured): WAL archiving with archive_timeout, a base backup, writes and signed checkpoints, then
 * the server and its data directory lost. Recovery from the base backup and the archive (1) to a named
 * restore point holds exactly the events up to it, and verification names the newer signed checkpoint
 * it cannot reach (what the recovery lost); (2) to the end of the archive holds every event
 * acknowledged more than archive_timeout before the loss, and verifies against every checkpoint.
 */
const tools = privateClusterTools();
const maybe = tools ? describe : describe.skip;
if (!tools)
  console.warn('wal-archive: skipped (needs root, the postgres user and the PostgreSQL server binaries)');

const ARCHIVE_TIMEOUT_S = 2;
const BATCH = 200;

type Head = { position: number; hash: string };

async function eventsOf(url: string): Promise<Head[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query('SELECT position, hash FROM events ORDER BY position');
    return rows.map((r) => ({ position: Number(r.position), hash: r.hash }));
  } finally {
    await c.end();
  }
}

maybe('WAL archiving and point-in-time recovery', () => {
  const figures: string[] = [];
  afterAll(() => console.log(`wal-archive: ${figures.join('; ')}`));

  it('recovers to a restore point and to the end of the archive, and proves each against the signed checkpoints', async () => {
    const t = tools!;
    const tmp = await mkdtemp(join(tmpdir(), 'skills-ledger-wal-'));
    t.own(tmp);
    const archive = join(tmp, 'archive');
    const checkpointDir = join(tmp, 'offsite-checkpoints');
    const keyFile = join(tmp, 'signing.pem');
    await writeFile(keyFile, generateSigningKeyPair().privateKeyPem, { mode: 0o600 });
    const servers: ReturnType<typeof t.server>[] = [];
    const open: Database[] = [];
    try {
      const port = await freePort();
      const primaryData = join(tmp, 'data');
      t.initdb(primaryData, port, join(tmp, 'socket'), archive, ARCHIVE_TIMEOUT_S);
      const primary = t.server(primaryData, port, join(tmp, 'primary.log'));
      servers.push(primary);
      primary.start();
      const admin = new Client({ connectionString: primary.url('postgres') });
      await admin.connect();
      await admin.query('CREATE DATABASE skills');
      await migrate(primary.url('skills'), MIGRATIONS);

      const config = loadConfig({
        ...process.env,
        DATABASE_URL: primary.url('skills'),
        AUDIT_SIGNING_KEY_FILE: keyFile,
        AUDIT_CHECKPOINT_DIR: checkpointDir,
      });
      const db = await Database.create({
        url: primary.url('skills'),
        role: 'skills_app',
        poolSize: 4,
      }).connect();
      open.push(db);
      const store = new EventStore(db);
      const checkpoints = new CheckpointStore(db, store, config, new SystemClock());
      let n = 0;
      const write = async (count: number) => {
        for (let i = 0; i < count; i += 10) {
          await Promise.all(
            Array.from({ length: 10 }, () => {
              n += 1;
              return store.append(
                `report-U${String(n % 40).padStart(2, '0')}-2024-03`,
                [{ type: 'FiguresEntered', data: { figures: { training: n, certified: n % 7 } } }],
                { expectedVersion: 'any', metadata: meta({ requestId: `wal-${n}` }), recordedAt: new Date() },
              );
            }),
          );
        }
        return store.head();
      };

      await write(BATCH);
      await checkpoints.sign('scheduled');
      t.baseBackup(primary.url('postgres'), join(tmp, 'base'));
      await write(BATCH);
      const signedBeforePoint = await checkpoints.sign('scheduled');
      await admin.query(`SELECT pg_create_restore_point('drill')`);
      const atPoint = await store.head();
      await write(BATCH);
      const signedAfterPoint = await checkpoints.sign('scheduled');
      const last = await write(BATCH / 2);
      const lastAckAt = Date.now();
      const live = await eventsOf(primary.url('skills'));
      expect(live.at(-1)).toEqual(last);

      // No switch, no flush: archive_timeout alone must get the last writes' segment to the archive.
      const [{ wal }] = (await admin.query(`SELECT pg_walfile_name(pg_current_wal_lsn()) AS wal`)).rows;
      for (;;) {
        const [{ archived }] = (
          await admin.query(`SELECT last_archived_wal AS archived FROM pg_stat_archiver`)
        ).rows;
        if (archived && archived >= wal) break;
        if (Date.now() - lastAckAt > 60_000) throw new Error(`segment ${wal} not archived in 60 s`);
        await sleep(100);
      }
      const archivedAfterMs = Date.now() - lastAckAt;
      await admin.end();
      await db.close();
      open.pop();
      primary.crash();
      await rm(primaryData, { recursive: true, force: true });

      const verify = async (url: string) => {
        const restoredDb = await Database.create({ url, poolSize: 2 }).connect();
        open.push(restoredDb);
        const restoredStore = new EventStore(restoredDb);
        const verification = await new LedgerVerifier(
          restoredStore,
          new CheckpointStore(restoredDb, restoredStore, config, new SystemClock()),
        ).verify();
        await restoredDb.close();
        open.pop();
        return verification;
      };

      // (1) To the restore point: exactly the events before it; the checkpoint signed after it is out of reach.
      let started = Date.now();
      const pointPort = await freePort();
      t.recoveryFrom(join(tmp, 'base'), join(tmp, 'to-point'), pointPort, archive, 'drill');
      const toPoint = t.server(join(tmp, 'to-point'), pointPort, join(tmp, 'to-point.log'));
      servers.push(toPoint);
      toPoint.start();
      await untilAnswers(() => eventsOf(toPoint.url('skills')));
      const pointMs = Date.now() - started;
      expect(await eventsOf(toPoint.url('skills'))).toEqual(live.slice(0, atPoint.position));
      const pointVerification = await verify(toPoint.url('skills'));
      expect(pointVerification).toMatchObject({
        ok: false,
        head: atPoint,
        firstInvalid: {
          position: atPoint.position + 1,
          reason: 'truncated',
          detail: `已签名的检查点记录到第 ${signedAfterPoint!.position} 条，而账本只到第 ${atPoint.position} 条`,
        },
      });
      expect(signedBeforePoint!.position).toBe(atPoint.position);
      toPoint.crash();

      // (2) To the end of the archive: everything acknowledged, every checkpoint agrees.
      started = Date.now();
      const endPort = await freePort();
      t.recoveryFrom(join(tmp, 'base'), join(tmp, 'to-end'), endPort, archive);
      const toEnd = t.server(join(tmp, 'to-end'), endPort, join(tmp, 'to-end.log'));
      servers.push(toEnd);
      toEnd.start();
      await untilAnswers(() => eventsOf(toEnd.url('skills')));
      const endMs = Date.now() - started;
      expect(await eventsOf(toEnd.url('skills'))).toEqual(live);
      const endVerification = await verify(toEnd.url('skills'));
      expect(endVerification).toMatchObject({ ok: true, head: last });
      expect(endVerification.checkpoints.trusted).toBeGreaterThanOrEqual(6);

      figures.push(
        `archive_timeout ${ARCHIVE_TIMEOUT_S} s: the last write's segment was archived ${(archivedAfterMs / 1000).toFixed(1)} s after it ` +
          `was acknowledged; ${live.length} events written, server and data directory lost; recovery to the restore point ` +
          `(${atPoint.position} events) in ${(pointMs / 1000).toFixed(1)} s, verification names the checkpoint at ` +
          `${signedAfterPoint!.position} as beyond reach; recovery to the end of the archive (${last.position} events, none lost) ` +
          `in ${(endMs / 1000).toFixed(1)} s, verified against ${endVerification.checkpoints.trusted} signed checkpoints`,
      );
    } finally {
      for (const d of open) await d.close().catch(() => undefined);
      for (const s of servers) s.stopQuietly();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
