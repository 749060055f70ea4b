import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { EventStore, ProjectionRunner, rebuildProjections } from '@app/event-store';
import { Database } from '@app/platform/database';
import { loadPublicKey } from '../audit/checkpoint-signature';
import { type CheckpointRow, readCheckpointDir, type SourcedCheckpoint } from '../audit/checkpoints';
import { type LedgerVerification, verifyLedger } from '../audit/ledger-verification';
import { differingTables, READ_TABLES, readModelDigests } from '../read-models/read-model-digest';
import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from '../read-models/registry';
import { type ScanFinding, ScanStore } from '../scans/scan-store';
import {
  BACKUP_PUBLIC_KEY_FILE,
  type BackupManifest,
  checkBackupFiles,
  CHECKPOINTS_DIR,
  DATADIR_FILE,
  DUMP_FILE,
  readManifest,
} from './backup-manifest';
import { connectionArgs, runPgTool } from './pg-tools';

export interface RestoreOptions {
  dir: string;
  /** An empty database: restoring over data is refused. */
  databaseUrl: string;
  /** The application's role (DATABASE_ROLE): the dump's grants name it, so it must exist first. */
  appRole: string;
  /** The key auditors trust, from outside the backup (someone who rewrote the backup could swap its key). */
  trustedPublicKeyPem?: string;
  /** AUDIT_CHECKPOINT_DIR: checkpoints kept away from the database; those up to the backup's head must agree. */
  checkpointDir?: string;
  pgBin?: string;
  now: () => Date;
}

type Head = { position: number; hash: string };

export interface RestoreReport {
  ok: boolean;
  /** The restored chain's head (null when nothing was restored). */
  head: Head | null;
  /** Events whose hashes were recomputed and chained. */
  checked: number;
  manifestHead: Head | null;
  problems: string[];
  notes: string[];
  firstInvalid?: LedgerVerification['firstInvalid'];
  checkpoints?: LedgerVerification['checkpoints'];
  readModels?: { tables: number; rebuiltFrom: number; differing: string[] };
  /** The sealed forms the ledger names, re-hashed: each must be in the dump, byte for byte. */
  scans?: { checked: number; invalid: ScanFinding[] };
  seconds?: { restore: number; verify: number; readModels: number };
}

const since = (t: number) => Math.round(performance.now() - t) / 1000;

/**
 * Restores a backup into an empty database and proves it: every file matches the manifest (checked
 * before anything is restored), the chain verifies and ends exactly at the manifest's head, every signed
 * checkpoint (in the dump, in the backup, and the offsite ones up to that head) agrees with it, and the
 * read models rebuilt from the restored log equal the restored ones.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const report = emptyReport();
  const manifest = await checkBackup(options.dir, report);
  if (!manifest) return report;
  if (manifest.engine === 'embedded') {
    return refuse(
      report,
      `这是嵌入式模式的备份（${DATADIR_FILE}）：请用 npm run restore -- --embedded ${options.dir}`,
    );
  }
  const occupied = await existingRelations(options.databaseUrl);
  if (occupied.length > 0) {
    return refuse(
      report,
      `目标数据库不是空的（已有 ${occupied.join('、')} 等）：恢复只写入新建的空数据库，不覆盖已有数据`,
    );
  }

  const started = performance.now();
  await ensureRole(options.databaseUrl, options.appRole);
  const { dbname, env } = connectionArgs(options.databaseUrl);
  try {
    await runPgTool(
      'pg_restore',
      [
        '--no-owner',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${dbname}`,
        join(options.dir, DUMP_FILE),
      ],
      { binDir: options.pgBin, env },
    );
  } catch (error) {
    return refuse(report, `恢复失败，数据库未改动：${(error as Error).message}`);
  }
  return proveRestored(options.databaseUrl, options, manifest, report, since(started));
}

export const emptyReport = (): RestoreReport => ({
  ok: false,
  head: null,
  checked: 0,
  manifestHead: null,
  problems: [],
  notes: [],
});

/** The manifest, and every file checked against it before anything is restored; undefined when refused. */
export async function checkBackup(dir: string, report: RestoreReport): Promise<BackupManifest | undefined> {
  const manifest = await readManifest(dir);
  if (typeof manifest === 'string') return void refuse(report, manifest);
  report.manifestHead = manifest.head;
  const fileProblems = await checkBackupFiles(dir, manifest);
  if (fileProblems.length > 0) return void refuse(report, ...fileProblems);
  return manifest;
}

/** What the proof of a restored database needs besides the database: the backup and the trusted evidence. */
export type ProofOptions = Pick<RestoreOptions, 'dir' | 'trustedPublicKeyPem' | 'checkpointDir' | 'now'>;

/**
 * The proof, the same for a restored server database and a restored embedded data directory: the chain
 * ends exactly at the manifest's head and agrees with every signed checkpoint, the sealed forms are
 * there, and the read models rebuilt from the log equal the restored ones.
 */
export async function proveRestored(
  url: string,
  options: ProofOptions,
  manifest: BackupManifest,
  report: RestoreReport,
  restoreSeconds: number,
): Promise<RestoreReport> {
  const db = await Database.create({
    url,
    poolSize: 2,
    applicationName: 'skills-ledger-restore',
  }).connect();
  try {
    let started = performance.now();
    const publicKeyPem = await trustedKey(options, manifest, report);
    const checkpoints = await gatherCheckpoints(db, options, manifest, report);
    const verification = await verifyLedger(new EventStore(db).iterateAll(), checkpoints, {
      publicKeyPem,
      lookAhead: false,
    });
    const verifySeconds = since(started);
    report.head = verification.head;
    report.checked = verification.checked;
    report.firstInvalid = verification.firstInvalid;
    report.checkpoints = verification.checkpoints;
    if (!verification.ok && verification.firstInvalid) {
      const f = verification.firstInvalid;
      report.problems.push(`账本校验未通过：第 ${f.position} 条，${f.reason}：${f.detail}`);
    }
    if (
      verification.head.position !== manifest.head.position ||
      verification.head.hash !== manifest.head.hash
    ) {
      report.problems.push(
        `恢复出的账本头（第 ${verification.head.position} 条，${verification.head.hash}）与清单的 head（第 ${manifest.head.position} 条，${manifest.head.hash}）不符`,
      );
    }
    report.scans = await new ScanStore(db).verify();
    for (const scan of report.scans.invalid) {
      report.problems.push(
        `账本记录的盖章扫描件 ${scan.sha256} ${scan.reason === 'missing' ? '不在备份中' : '的内容被改动'}`,
      );
    }
    if (verification.checkpoints.trusted === 0) {
      report.notes.push('备份不含可用的签名检查点：哈希链已校验，但无法排除整条链被重算改写');
    }

    started = performance.now();
    report.readModels = await compareReadModels(db, options.now);
    if (report.readModels.differing.length > 0) {
      report.problems.push(`由账本重建的读模型与备份中的不同：${report.readModels.differing.join('、')}`);
    }
    report.seconds = { restore: restoreSeconds, verify: verifySeconds, readModels: since(started) };
  } finally {
    await db.close();
  }
  report.ok = report.problems.length === 0;
  if (!report.ok) report.notes.push('恢复出的数据库未通过校验，请勿投入使用');
  return report;
}

export function refuse(report: RestoreReport, ...problems: string[]): RestoreReport {
  report.problems.push(...problems);
  return report;
}

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'skills-ledger-restore' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Tables, views and sequences outside the system schemas: a database holding any is not empty. */
const existingRelations = (url: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        ORDER BY c.relname LIMIT 3`,
    );
    return rows.map((r) => r.relname);
  });

/** Roles belong to the server, not the dump: on a new server the application role is created first. */
const ensureRole = (url: string, role: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (rows.length === 0) await c.query(`CREATE ROLE "${role}" NOLOGIN`);
    await c.query(`GRANT "${role}" TO CURRENT_USER`).catch(() => undefined);
  });

async function trustedKey(
  options: ProofOptions,
  manifest: BackupManifest,
  report: RestoreReport,
): Promise<string | undefined> {
  const carried = manifest.files.some((f) => f.name === BACKUP_PUBLIC_KEY_FILE)
    ? loadPublicKey(await readFile(join(options.dir, BACKUP_PUBLIC_KEY_FILE), 'utf8'))
    : undefined;
  if (options.trustedPublicKeyPem) {
    const trusted = loadPublicKey(options.trustedPublicKeyPem);
    if (carried && carried !== trusted) {
      report.problems.push(`备份中的 ${BACKUP_PUBLIC_KEY_FILE} 不是受信任的公钥（AUDIT_PUBLIC_KEY）`);
    }
    return trusted;
  }
  if (carried)
    report.notes.push(`检查点按备份自带的公钥核对；设置 AUDIT_PUBLIC_KEY_FILE 可用另行保管的公钥核对`);
  return carried;
}

/** The restored table's checkpoints, the backup's files, and offsite files up to the manifest's head. */
async function gatherCheckpoints(
  db: Database,
  options: ProofOptions,
  manifest: BackupManifest,
  report: RestoreReport,
): Promise<SourcedCheckpoint[]> {
  const rows = await db.query<CheckpointRow>(
    'SELECT position, hash, signed_at, reason, public_key, signature FROM audit_checkpoints ORDER BY position',
  );
  const all: SourcedCheckpoint[] = rows.map((r) => ({
    source: 'database',
    checkpoint: {
      position: Number(r.position),
      hash: r.hash,
      signedAt: new Date(r.signed_at).toISOString(),
      reason: r.reason,
      publicKey: r.public_key,
      signature: r.signature,
    },
  }));
  const read = async (dir: string, label: string) => {
    try {
      return (await readCheckpointDir(dir, true)).map((c) => ({
        ...c,
        source: c.source.replace(/^file:/, label),
      }));
    } catch (error) {
      report.problems.push(`${label}${(error as Error).message}`);
      return [];
    }
  };
  all.push(...(await read(join(options.dir, CHECKPOINTS_DIR), `backup:${CHECKPOINTS_DIR}/`)));
  if (options.checkpointDir) {
    const offsite = await read(options.checkpointDir, 'offsite:');
    all.push(...offsite.filter((c) => Number(c.checkpoint?.position) <= manifest.head.position));
  }
  return all;
}

/** Brings the restored asynchronous read models to the head, then rebuilds all from the log and compares. */
async function compareReadModels(db: Database, now: () => Date) {
  await new ProjectionRunner(db, ASYNC_PROJECTIONS, now).catchUp();
  const restored = await readModelDigests(db);
  const rebuilt = await rebuildProjections(db, INLINE_PROJECTIONS, ASYNC_PROJECTIONS, now);
  const after = await readModelDigests(db);
  return {
    tables: READ_TABLES.length,
    rebuiltFrom: rebuilt.events,
    differing: differingTables(restored, after),
  };
}
