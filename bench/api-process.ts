import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiClient } from './http-client';
import { sleep } from './stats';

export interface ApiProcess {
  pid: number;
  port: number;
  client: ApiClient;
  /** Highest resident set size seen since start, in MiB (sampled every 100 ms). */
  peakRssMb(): number;
  /** Starts a fresh peak (e.g. at the start of the timed part). */
  resetPeak(): void;
  rssMb(): number;
  /** User plus system CPU time the process has used so far, in seconds. */
  cpuSeconds(): number;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** VmRSS of a process in MiB, from /proc (Linux); 0 once it is gone. */
function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 1/100 s (USER_HZ on Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The built API (dist/, from `npm run build`) as a child process, as it runs in production: its own
 * heap and event loop, its logs in a temporary file that is removed when it stops.
 */
export async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const logPath = join(tmpdir(), `skills-bench-api-${process.pid}-${port}.log`);
  const log = openSync(logPath, 'w');
  // BENCH_API_PROFILE=<dir> writes a CPU profile of the api (node --cpu-prof) when it stops.
  const profile = process.env.BENCH_API_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_API_PROFILE)}`]
    : [];
  const main = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [...profile, main], {
    cwd: ROOT,
    // FAKE_NOW is honoured only in development or test; the bench's login is the local superuser.
    env: { ...process.env, NODE_ENV: 'development', ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited = false;
  // However the benchmark ends (an error, a signal), the api does not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => {
    exited = true;
    process.off('exit', killOnExit);
  });
  const pid = child.pid!;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  const client = new ApiClient(port);
  const logTail = (lines = 30) => {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    clearInterval(sampler);
    client.close();
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(logPath, { force: true });
  };

  for (let waited = 0; ; waited += 200) {
    if (exited) {
      const tail = logTail();
      await stop();
      throw new Error(`the api exited during start-up:\n${tail}`);
    }
    const health = await client.send('GET', '/health', { timeoutMs: 2000 }).catch(() => undefined);
    if (health?.status === 200) break;
    if (waited > 60_000) {
      const tail = logTail();
      await stop();
      throw new Error(`the api did not answer /health within a minute:\n${tail}`);
    }
    await sleep(200);
  }
  return {
    pid,
    port,
    client,
    peakRssMb: () => Math.round(Math.max(peak, rssMb(pid))),
    resetPeak: () => {
      peak = rssMb(pid);
    },
    rssMb: () => Math.round(rssMb(pid)),
    cpuSeconds: () => cpuSeconds(pid),
    logTail,
    stop,
  };
}
