import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuSeconds } from './api-process';
import { sleep } from './stats';

export interface WorkerProcess {
  pid: number;
  cpuSeconds(): number;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');

/**
 * The built worker (projections, deadline jobs) as a child process, as deployed beside the api. It is
 * ready once its projection loop has written its first checkpoint.
 */
export async function startWorker(
  env: Record<string, string>,
  ready: () => Promise<boolean>,
): Promise<WorkerProcess> {
  const logPath = join(tmpdir(), `skills-bench-worker-${process.pid}-${Date.now()}.log`);
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited = false;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => {
    exited = true;
    process.off('exit', killOnExit);
  });
  const logTail = (lines = 30) => {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(logPath, { force: true });
  };
  for (let waited = 0; !(await ready().catch(() => false)); waited += 200) {
    if (exited || waited > 60_000) {
      const tail = logTail();
      await stop();
      throw new Error(`the worker did not start:\n${tail}`);
    }
    await sleep(200);
  }
  return { pid: child.pid!, cpuSeconds: () => cpuSeconds(child.pid!), logTail, stop };
}
