import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from '../../support/app';
import { apiMain, workerMain } from './build';

const ROOT = join(__dirname, '../../..');

/** Every child still running: killed when the test process exits, whatever the test did. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Child {
  name: string;
  pid: number;
  /** The API's base URL (APIs only). */
  url: string;
  /** BullMQ's name for this process's worker: `processedBy` of the jobs it ran (workers only). */
  bullName: string;
  alive(): boolean;
  exited: Promise<number | null>;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
  /** Resolves when the process has written a line matching `pattern` (since it started). */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChildOptions {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  fakeNow: string;
  env?: Record<string, string>;
}

export const uniquePrefix = (tag: string) => `chaos-${tag}-${randomBytes(4).toString('hex')}`;

/** A port nobody listens on right now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function childEnv(options: ChildOptions, extra: Record<string, string>): NodeJS.ProcessEnv {
  const { AUDIT_CHECKPOINT_DIR: _dir, SMTP_URL: _smtp, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_ENV: 'test',
    JWT_SECRET: process.env.JWT_SECRET ?? 'test-secret-that-is-long-enough-0123456789',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: options.redisUrl,
    BULLMQ_PREFIX: options.prefix,
    FAKE_NOW: options.fakeNow,
    ...extra,
    ...options.env,
  };
}

function launch(name: string, main: string, env: NodeJS.ProcessEnv, url = ''): Child {
  const child = spawn(process.execPath, [main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 300) lines.shift();
      for (const w of [...watchers]) {
        if (w.pattern.test(line)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? -1 : null));
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const output = () => lines.slice(-40).join('\n');
  return {
    name,
    pid: child.pid!,
    url,
    bullName: `${hostname()}:${child.pid}`,
    alive,
    exited,
    output,
    waitFor(pattern, ms = 30_000) {
      if (lines.some((l) => pattern.test(l))) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: no line matching ${pattern} in ${ms} ms\n${output()}`)),
          ms,
        );
        void exited.then((code) =>
          reject(new Error(`${name} exited (${code}) before ${pattern}\n${output()}`)),
        );
        watchers.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async kill(signal = 'SIGTERM') {
      if (!alive()) return;
      child.kill(signal);
      // A graceful stop that hangs is cut short: a scenario's afterAll must always finish.
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The API from the compiled dist, on its own port; resolves once it answers HTTP (any status). */
export async function startApi(name: string, options: ChildOptions): Promise<Child> {
  const port = await freePort();
  const child = launch(
    name,
    apiMain(),
    childEnv(options, { PORT: String(port), LOG_LEVEL: 'warn' }),
    `http://127.0.0.1:${port}`,
  );
  const until = Date.now() + 30_000;
  for (;;) {
    if (!child.alive()) throw new Error(`${name} exited at start\n${child.output()}`);
    try {
      await fetch(`${child.url}/health`);
      return child;
    } catch {
      if (Date.now() > until) {
        await child.kill('SIGKILL');
        throw new Error(`${name} did not answer within 30 s\n${child.output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A worker from the compiled dist; resolves once its start-up catch-up is done. */
export async function startWorker(name: string, options: ChildOptions): Promise<Child> {
  const child = launch(name, workerMain(), childEnv(options, { LOG_LEVEL: 'info' }));
  try {
    await child.waitFor(/"msg":"deadline catch-up"/);
  } catch (error) {
    await child.kill('SIGKILL');
    throw error;
  }
  return child;
}

/** Stops every child given (SIGTERM, SIGKILL after 8 s); never throws, so cleanup always completes. */
export async function stopAll(children: (Child | undefined)[]): Promise<void> {
  await Promise.all(children.map((c) => c?.kill('SIGTERM').catch(() => undefined)));
}
