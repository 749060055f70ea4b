import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from '@app/platform/database';
import type { SignedCheckpoint } from '../audit/checkpoint-signature';
import { type CheckpointStore, writeCheckpointFile } from '../audit/checkpoints';
import {
  BACKUP_FORMAT,
  BACKUP_PUBLIC_KEY_FILE,
  type BackupManifest,
  CHECKPOINTS_DIR,
  listBackupFiles,
  type ManifestFile,
  sha256File,
  writeManifest,
} from './backup-manifest';
import { pgDumpSnapshot } from './pg-dump-snapshot';

/** A backup that must not be taken as asked (the directory holds files already). */
export class BackupRefused extends Error {}

/** What a snapshot wrote into the backup directory: the head it holds, and how it was made. */
export interface Snapshot {
  head: { position: number; hash: string };
  /** Signed checkpoints at or below the head inside the copy (rows of audit_checkpoints). */
  checkpointsInDump: number;
  server: string;
  /** Written into the manifest as they are: which tool made the copy (pgDump, or engine and pglite). */
  tool: Pick<BackupManifest, 'pgDump' | 'engine' | 'pglite'>;
}

export interface BackupSource {
  /** Where the head is signed and the checkpoints are read; the application's role may do that. */
  db: Database;
  /** The database owner's URL, for pg_dump, which must read every table (unused with `snapshot`). */
  databaseUrl?: string;
  /** How the database itself is copied into the directory; pg_dump of `databaseUrl` when absent. */
  snapshot?: (dir: string) => Promise<Snapshot>;
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
  /** The copy of the database alone (pg_dump, or the data directory), and the whole backup. */
  dumpMs: number;
  durationMs: number;
}

/**
 * A consistent backup: pg_dump (custom format) of the snapshot the head was read in, or the embedded
 * mode's data directory archived while the head is read, so the manifest's head is exactly the copy's;
 * then the signed checkpoint files at or below that head, the public key
 * auditors judge them by, and when this process holds the signing key, a checkpoint on the head itself,
 * so a restore can prove the whole of what it brings back. The manifest comes last.
 */
export async function takeBackup(dir: string, source: BackupSource): Promise<BackupOutcome> {
  const started = performance.now();
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0)
    throw new BackupRefused(`${dir} 不是空目录：备份不覆盖已有文件，请换一个新目录`);
  try {
    const takeSnapshot =
      source.snapshot ??
      ((into: string) => pgDumpSnapshot(into, source.db, source.databaseUrl!, source.pgBin));
    const dumpStarted = performance.now();
    const snapshot = await takeSnapshot(dir);
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
      ...snapshot.tool,
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
