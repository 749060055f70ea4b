import { readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DATADIR_FILE, DUMP_FILE } from './backup-manifest';
import {
  checkBackup,
  emptyReport,
  type ProofOptions,
  proveRestored,
  refuse,
  type RestoreReport,
} from './restore-backup';
import { unpackArchive } from './tar';

/** An embedded engine serving a data directory, until stopped. */
export interface EmbeddedEngine {
  url: string;
  stop(): Promise<void>;
}

export interface DataDirRestoreOptions extends ProofOptions {
  /** The embedded mode's data directory to restore into: absent or empty. */
  dataDir: string;
  /** Starts the embedded engine on a directory (in a process of its own: PGlite owns its process's memory). */
  startEngine: (dataDir: string) => Promise<EmbeddedEngine>;
}

/**
 * Restores a backup of the embedded mode: every file checked against the manifest first, the data
 * directory unpacked beside the target, an engine started on it, and the same proof as a server
 * restore (chain to the manifest's head, every signed checkpoint, sealed forms, read models rebuilt and
 * compared). Only a directory that passed takes the target's name, so a quickstart never starts on an
 * unproven one; one that failed is deleted.
 */
export async function restoreDataDir(options: DataDirRestoreOptions): Promise<RestoreReport> {
  const report = emptyReport();
  const manifest = await checkBackup(options.dir, report);
  if (!manifest) return report;
  const target = resolve(options.dataDir);
  if (manifest.engine !== 'embedded') {
    return refuse(
      report,
      `这是 PostgreSQL 服务器的备份（${DUMP_FILE}）：请让 DATABASE_URL 指向一个空数据库，运行 npm run restore -- ${options.dir}`,
    );
  }
  if (await holdsData(target)) {
    return refuse(
      report,
      `${target} 已有数据：恢复不覆盖已有数据。请停止快速启动并把该目录移走，或用 --embedded=新目录 恢复到别处`,
    );
  }
  const staging = `${target}.restoring-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const started = performance.now();
  let engine: EmbeddedEngine;
  try {
    await unpackArchive(join(options.dir, DATADIR_FILE), staging);
    engine = await options.startEngine(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    return refuse(report, `恢复失败，${target} 未改动：${(error as Error).message}`);
  }
  const restoreSeconds = Math.round(performance.now() - started) / 1000;
  try {
    await proveRestored(engine.url, options, manifest, report, restoreSeconds);
  } catch (error) {
    refuse(report, `校验中断：${(error as Error).message}`);
  } finally {
    await engine.stop();
  }
  if (report.ok && (await holdsData(target))) {
    report.ok = false;
    refuse(report, `恢复期间 ${target} 被写入了数据（快速启动是否已在运行？）：未覆盖它`);
  }
  if (!report.ok) {
    await rm(staging, { recursive: true, force: true });
    report.notes.push(`${target} 未改动`);
    return report;
  }
  await rm(target, { recursive: true, force: true }); // empty (checked above): rename needs the name free
  await rename(staging, target);
  return report;
}

async function holdsData(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return entries.length > 0;
}
