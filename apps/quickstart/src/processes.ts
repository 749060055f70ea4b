import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The compiled entry points beside this file (dist/apps/quickstart/src → dist/apps/...). */
export const ENTRY = {
  api: resolve(__dirname, '../../api/src/main.js'),
  worker: resolve(__dirname, '../../worker/src/main.js'),
  cli: resolve(__dirname, '../../cli/src/main.js'),
};
/** Preloaded into every child: it ends itself when the quickstart that started it is gone. */
const WITH_PARENT = resolve(__dirname, 'exit-with-parent.js');

/** Settings of the caller that must never reach a child of the embedded mode (system databases). */
const FOREIGN = /^(DATABASE_|MIGRATION_DATABASE_|REDIS_|PG[A-Z]|BULLMQ_|NODE_ENV$)/;

export function childEnv(own: Record<string, string>, ignoreForeign: boolean): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !(ignoreForeign && FOREIGN.test(key))),
  );
  return { ...inherited, ...own };
}

/** One api or worker process, its output in a log file, stopped with SIGTERM (then SIGKILL). */
export class AppProcess {
  private child?: ChildProcess;
  private exit?: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly entry: string,
    readonly logFile: string,
  ) {}

  start(env: NodeJS.ProcessEnv, args: string[] = []): void {
    const log = openSync(this.logFile, 'a');
    // Its own process group: Ctrl+C reaches the quickstart only, which then stops everything in order.
    this.child = spawn(process.execPath, ['--require', WITH_PARENT, this.entry, ...args], {
      env,
      stdio: ['pipe', log, log],
      detached: true,
    });
    closeSync(log);
    this.exit = new Promise((done) => this.child!.once('exit', (code, signal) => done(signal ? null : code)));
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get exited(): Promise<number | null> {
    return this.exit ?? Promise.resolve(null);
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** The last lines of its log, for a failure message. */
  tail(lines = 15): string {
    if (!existsSync(this.logFile)) return '';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }
}

/** Runs a command-line tool command to its end; resolves with its exit code and output. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [ENTRY.cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => done({ code, output: output.trim() }));
  });
}

/** Waits until GET /health answers 200, or the process dies, or the time is up. */
export async function waitHealthy(base: string, app: AppProcess, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (!app.running) throw new StartError(app);
    if (Date.now() > until) throw new StartError(app, 'timeout');
    await new Promise((r) => setTimeout(r, 300));
  }
}

export class StartError extends Error {
  constructor(
    readonly app: AppProcess,
    readonly reason: 'exited' | 'timeout' = 'exited',
  ) {
    super(`${app.name} ${reason === 'timeout' ? 'did not become healthy' : 'exited'}`);
  }
}
