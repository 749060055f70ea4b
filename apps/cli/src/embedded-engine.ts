import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EmbeddedEngine } from '@app/application/backup/restore-datadir';
import { liveLock } from '@app/platform/embedded-lock';

/** The compiled embedded server beside this tool (dist/apps/cli/src → dist/apps/quickstart/src). */
const SERVER = resolve(__dirname, '../../quickstart/src/embedded-server.js');

/**
 * Starts the embedded engine on a directory in a child process (PGlite takes its process's memory and
 * cannot be loaded twice there); resolves once it accepts connections.
 */
export async function startEngine(dataDir: string): Promise<EmbeddedEngine> {
  const child = spawn(process.execPath, [SERVER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) done((JSON.parse(line) as { url: string }).url);
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(err.trim() || `the embedded engine exited with ${code}`)));
  });
  const exited = once(child, 'exit');
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The engine serving `dataDir`: the running quickstart's (found by its lock), or one started here on
 * the stopped directory and stopped again afterwards.
 */
export async function engineFor(dataDir: string): Promise<EmbeddedEngine & { running: boolean }> {
  const lock = liveLock(dataDir);
  if (lock) {
    if (!lock.url) throw new Error(`${dataDir} 的嵌入式数据库正在启动（进程 ${lock.pid}）：请稍后再试`);
    return { url: lock.url, running: true, stop: () => Promise.resolve() };
  }
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  if (!entries.includes('PG_VERSION')) {
    throw new Error(
      `${dataDir} 不是嵌入式模式的数据目录：请用 --embedded=目录 指定（演示数据在 var/pgdata-demo）`,
    );
  }
  return { ...(await startEngine(dataDir)), running: false };
}
