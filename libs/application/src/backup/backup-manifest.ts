import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'database.dump';
/** The embedded mode's backup: its PGlite data directory as a tar archive, in place of the dump. */
export const DATADIR_FILE = 'pgdata.tar';
export const BACKUP_PUBLIC_KEY_FILE = 'audit-public-key.pem';
export const CHECKPOINTS_DIR = 'checkpoints';
export const BACKUP_FORMAT = 'skills-ledger-backup/1';

export interface ManifestFile {
  name: string;
  sha256: string;
}

/** What a backup claims: the ledger head inside its dump, and the digest of every file beside it. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  head: { position: number; hash: string };
  /** Signed checkpoints at or below the head the backup carries (files, and rows inside the dump). */
  signedCheckpoints: number;
  /** Whether a public key was configured: only then can a restore tell who signed the checkpoints. */
  publicKey: boolean;
  /** pg_dump's version (a backup of a PostgreSQL server). */
  pgDump?: string;
  /** `embedded`: the copy is the data directory of the embedded mode (DATADIR_FILE), made by PGlite `pglite`. */
  engine?: 'embedded';
  pglite?: string;
  server: string;
  files: ManifestFile[];
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir`, as manifest names (forward slashes), the manifest itself left out. */
export async function listBackupFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else names.push(relative(dir, path).split(sep).join('/'));
    }
  };
  await walk(dir);
  return names.filter((name) => name !== MANIFEST_FILE).sort();
}

/** Written last, through a rename: a backup cut short has no manifest, and a restore refuses it. */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  const tmp = join(dir, `.${MANIFEST_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  await rename(tmp, join(dir, MANIFEST_FILE));
}

/** A name the manifest may list: relative, inside the backup, no climbing out of it. */
const safeName = (name: unknown): name is string =>
  typeof name === 'string' &&
  name.length > 0 &&
  !isAbsolute(name) &&
  !normalize(name).startsWith('..') &&
  !name.split('/').includes('..');

/** Reads and checks the manifest's shape; the problem, in words, when it is not one. */
export async function readManifest(dir: string): Promise<BackupManifest | string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? `${MANIFEST_FILE} 不存在：${dir} 不是完整的备份（备份中断时不会写清单）`
      : `${MANIFEST_FILE} 不是合法的 JSON`;
  }
  // Checked field by field; cast to the manifest only once every check passed.
  const value = parsed as {
    head?: { position?: unknown; hash?: unknown };
    files?: unknown;
    engine?: unknown;
  } | null;
  const head = value?.head;
  const headOk =
    head &&
    typeof head.position === 'number' &&
    Number.isSafeInteger(head.position) &&
    head.position >= 0 &&
    typeof head.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(head.hash);
  if (!headOk) return `${MANIFEST_FILE} 的 head 不是 { position: 整数, hash: 64 位十六进制 }`;
  const files = value?.files;
  const filesOk =
    Array.isArray(files) &&
    files.every(
      (f: { name?: unknown; sha256?: unknown } | null) =>
        safeName(f?.name) && typeof f?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256),
    );
  if (!filesOk) return `${MANIFEST_FILE} 的 files 必须是 [ { name, sha256 } ]，name 为备份目录内的相对路径`;
  const copy = value?.engine === 'embedded' ? DATADIR_FILE : DUMP_FILE;
  if (!files.some((f: ManifestFile) => f.name === copy)) return `${MANIFEST_FILE} 未列出 ${copy}`;
  return value as BackupManifest;
}

/**
 * Compares every file with the manifest before anything is restored: a file whose digest differs, one
 * that is missing, and one the manifest does not list (a checkpoint slipped in) are each named.
 */
export async function checkBackupFiles(dir: string, manifest: BackupManifest): Promise<string[]> {
  const problems: string[] = [];
  const present = new Set(await listBackupFiles(dir));
  for (const file of manifest.files) {
    if (!present.has(file.name)) {
      problems.push(`文件 ${file.name} 缺失（清单中列出）`);
      continue;
    }
    present.delete(file.name);
    const actual = await sha256File(join(dir, file.name));
    if (actual !== file.sha256) {
      problems.push(
        `文件 ${file.name} 的 sha256 与清单不符（清单 ${file.sha256}，实际 ${actual}）：备份被改动或损坏`,
      );
    }
  }
  for (const extra of present) problems.push(`文件 ${extra} 不在清单中：备份被改动`);
  return problems;
}
