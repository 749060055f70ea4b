import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const DIST_QUICKSTART = resolve(ROOT, 'dist/apps/quickstart/src');

/** The embedded database in a child process (PGlite loads itself with import(), which jest's VM refuses). */
export async function startEmbeddedServer(
  dataDir: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [resolve(DIST_QUICKSTART, 'embedded-server.js'), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) done(JSON.parse(line).url);
    });
    child.once('exit', (code) => fail(new Error(`embedded server exited with ${code}`)));
  });
  return { url, stop: () => stopChild(child).then(() => undefined) };
}

export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** `npm run quickstart`'s Node part, as the script runs it after installing and building. */
export class QuickstartRun {
  readonly child: ChildProcess;
  output = '';

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [resolve(DIST_QUICKSTART, 'main.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
  }

  /** Resolves once it says it is running; rejects with its output if it exits first. */
  ready(timeoutMs = 240_000): Promise<void> {
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`not ready in ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
      const check = () => {
        if (!this.output.includes('Press Ctrl+C to stop.')) return;
        clearTimeout(timer);
        done();
      };
      this.child.stdout!.on('data', check);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`quickstart exited with ${code}:\n${this.output}`));
      });
      check();
    });
  }

  /** Resolves with the exit code once it has ended by itself. */
  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return once(this.child, 'exit').then(([code]) => code as number | null);
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    return stopChild(this.child, signal);
  }
}

/** Waits until nothing listens on the port any more (a killed quickstart's api ends itself a moment later). */
export async function untilPortFree(port: number, timeoutMs = 60_000): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (!open) return;
    if (Date.now() > until) throw new Error(`port ${port} still in use after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The compiled command-line tool as `npm run backup -- …` runs it: exit code, output, its last JSON line. */
export async function runCompiledCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; json: any; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'close');
  const last = stdout.trim().split('\n').pop() ?? '';
  let json: any;
  try {
    json = JSON.parse(last);
  } catch {
    json = undefined;
  }
  return { code: code as number | null, stdout, stderr, json, ms: Date.now() - started };
}
