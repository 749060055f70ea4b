import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GENESIS_HASH } from '@app/event-store';
import type { Database } from '@app/platform/database';
import type { SignedCheckpoint } from '../audit/checkpoint-signature';
import { type CheckpointStore, writeCheckpointFile } from '../audit/checkpoints';
import {
  BACKUP_FORMAT,
  BACKUP_PUBLIC_KEY_FILE,
  CHECKPOINTS_DIR,
  DUMP_FILE,
  listBackupFiles,
  type ManifestFile,
  sha256File,
  writeManifest,
} from './backup-manifest';
import { connectionArgs, PgToolError, pgToolVersion, runPgTool, serverMajor } from './pg-tools';

/** A backup that must not be taken as asked (the directory holds files already). */
export class BackupRefused extends Error {}

export interface BackupSource {
  /** Where the snapshot is taken; the application's role may do that. */
  db: Database;
  /** The database owner's URL, for pg_dump, which must read every table. */
  databaseUrl: string;
  checkpoints: CheckpointStore;
  /** AUDIT_CHECKPOINT_DIR: the signed checkpoints kept outside the database. */
  checkpointDir?: string;
  /** Directory of pg_dump when it is not the one on PATH (BACKUP_PG_BIN). */
  pgBin?: string;
  now: () => Date;
}

export interface BackupOutcome {
  dir: string;
  head: { position: number; hash: string };
  files: ManifestFile[];
  bytes: number;
  /** Signed checkpoints at or below the head: rows inside the dump, and files beside it. */
  checkpoints: { inDump: number; files: number; signedForBackup: boolean };
  publicKey: boolean;
  /** pg_dump alone, and the whole backup. */
  dumpMs: number;
  durationMs: number;
}

/**
 * A consistent backup: pg_dump (custom format) of the snapshot the head was read in, so the manifest's
 * head is exactly the dump's; then the signed checkpoint files at or below that head, the public key
 * auditors judge them by, and when this process holds the signing key, a checkpoint on the head itself,
 * so a restore can prove the whole of what it brings back. The manifest comes last.
 */
export async function takeBackup(dir: string, source: BackupSource): Promise<BackupOutcome> {
  const started = performance.now();
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0)
    throw new BackupRefused(`${dir} 不是空目录：备份不覆盖已有文件，请换一个新目录`);
  try {
    const tool = await pgToolVersion('pg_dump', source.pgBin);
    const dumpStarted = performance.now();
    const snapshot = await dumpSnapshot(dir, source, tool);
    const dumpMs = Math.round(performance.now() - dumpStarted);
    const { head } = snapshot;
    const publicKey = source.checkpoints.trustedPublicKey();
    let files = 0;
    let signedForBackup = false;
    if (publicKey) {
      await writeFile(join(dir, BACKUP_PUBLIC_KEY_FILE), publicKey, 'utf8');
      const signed = source.checkpoints.hasSigningKey()
        ? await signedHead(source.checkpoints, head)
        : undefined;
      files = await copyCheckpointFiles(source.checkpointDir, join(dir, CHECKPOINTS_DIR), head.position);
      if (signed && !(await exists(join(dir, CHECKPOINTS_DIR, checkpointName(signed.position))))) {
        await writeCheckpointFile(join(dir, CHECKPOINTS_DIR), signed);
        files += 1;
      }
      signedForBackup = signed !== undefined;
    }
    const manifestFiles: ManifestFile[] = [];
    let bytes = 0;
    for (const name of await listBackupFiles(dir)) {
      manifestFiles.push({ name, sha256: await sha256File(join(dir, name)) });
      bytes += (await stat(join(dir, name))).size;
    }
    await writeManifest(dir, {
      format: BACKUP_FORMAT,
      createdAt: source.now().toISOString(),
      head,
      signedCheckpoints: publicKey ? snapshot.checkpointsInDump + files : 0,
      publicKey: publicKey !== undefined,
      pgDump: tool.version,
      server: snapshot.server,
      files: manifestFiles,
    });
    return {
      dir,
      head,
      files: manifestFiles,
      bytes,
      checkpoints: { inDump: snapshot.checkpointsInDump, files, signedForBackup },
      publicKey: publicKey !== undefined,
      dumpMs,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    // What a failed backup left is no backup (it has no manifest): do not let it fill the disk.
    for (const name of await readdir(dir).catch(() => []))
      await rm(join(dir, name), { recursive: true, force: true });
    throw error;
  }
}

/**
 * Exports a snapshot, reads the head in it and has pg_dump dump that very snapshot. The exporting
 * transaction stays open until pg_dump is done: the snapshot lives only as long as it does.
 */
async function dumpSnapshot(dir: string, source: BackupSource, tool: { version: string; major: number }) {
  return source.db.withClient(async (tx) => {
    await tx.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const [info] = await tx.query<{ snapshot: string; num: string; server: string }>(
        `SELECT pg_export_snapshot() AS snapshot, current_setting('server_version_num') AS num,
                current_setting('server_version') AS server`,
      );
      if (tool.major < serverMajor(info.num)) {
        throw new PgToolError(
          `pg_dump ${tool.version} 比数据库服务器 ${info.server} 旧，无法备份：请安装 ${serverMajor(info.num)} 版的 PostgreSQL 客户端工具，并用 BACKUP_PG_BIN 指向其目录`,
        );
      }
      const [row] = await tx.query<{ position: string; hash: string }>(
        'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
      );
      const head = row
        ? { position: Number(row.position), hash: row.hash }
        : { position: 0, hash: GENESIS_HASH };
      const [{ n }] = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_checkpoints WHERE position <= $1',
        [head.position],
      );
      const { dbname, env } = connectionArgs(source.databaseUrl);
      await runPgTool(
        'pg_dump',
        [
          '--format=custom',
          `--snapshot=${info.snapshot}`,
          `--file=${join(dir, DUMP_FILE)}`,
          `--dbname=${dbname}`,
        ],
        { binDir: source.pgBin, env },
      );
      await tx.query('COMMIT');
      return { head, checkpointsInDump: n, server: info.server.split(' ')[0] };
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** The checkpoint on the snapshot's head: signed now, or the one already signed at that position. */
async function signedHead(
  checkpoints: CheckpointStore,
  head: { position: number; hash: string },
): Promise<SignedCheckpoint | undefined> {
  if (head.position === 0) return undefined;
  return (await checkpoints.signHead(head, 'backup')) ?? (await checkpoints.at(head.position));
}

const checkpointName = (position: number) => `checkpoint-${String(position).padStart(12, '0')}.json`;

/** Copies the files as they are (byte for byte), only those at or below the backup's head. */
async function copyCheckpointFiles(from: string | undefined, to: string, upTo: number): Promise<number> {
  if (!from) return 0;
  const names = (await readdir(from).catch(() => [] as string[])).filter((n) => {
    const match = /^checkpoint-(\d+)\.json$/.exec(n);
    return match !== null && Number(match[1]) <= upTo;
  });
  if (names.length === 0) return 0;
  await mkdir(to, { recursive: true });
  for (const name of names) await copyFile(join(from, name), join(to, name));
  return names.length;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
