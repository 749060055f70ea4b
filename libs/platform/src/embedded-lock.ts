import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Who holds an embedded data directory: the process serving it, and where (once it listens). PGlite
 * itself does not refuse a second opener, and two engines on one directory corrupt it; the backup
 * also needs to find the running engine to take its copy through it.
 */
export interface EmbeddedLock {
  pid: number;
  dataDir: string;
  /** The owner's URL on the loopback port; absent while the engine is still opening. */
  url?: string;
}

export class EmbeddedDirInUse extends Error {
  constructor(readonly lock: EmbeddedLock) {
    super(
      `${lock.dataDir} is in use by process ${lock.pid}${lock.url ? ` (${lock.url})` : ''}: stop it first`,
    );
  }
}

/** Beside the directory, not in it: a copy of the directory never carries it along. */
export const lockFile = (dataDir: string) => `${resolve(dataDir)}.lock.json`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The lock of a process that still runs; a lock left by a killed one does not count. */
export function liveLock(dataDir: string): EmbeddedLock | undefined {
  let lock: EmbeddedLock;
  try {
    lock = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as EmbeddedLock;
  } catch {
    return undefined;
  }
  return Number.isInteger(lock?.pid) && alive(lock.pid) ? lock : undefined;
}

/** Takes the directory for this process, or says who has it. `url` is added once the engine listens. */
export function takeLock(dataDir: string, url?: string): void {
  const held = liveLock(dataDir);
  if (held && held.pid !== process.pid) throw new EmbeddedDirInUse(held);
  const lock: EmbeddedLock = { pid: process.pid, dataDir: resolve(dataDir), ...(url ? { url } : {}) };
  writeFileSync(lockFile(dataDir), `${JSON.stringify(lock)}\n`, { mode: 0o600 });
}

export function releaseLock(dataDir: string): void {
  if (liveLock(dataDir)?.pid === process.pid) rmSync(lockFile(dataDir), { force: true });
}
