import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, stopChild, untilPortFree } from './support';

jest.setTimeout(120_000);

/**
 * The shell scripts' answers on a PC with nothing but Node.js, checked here without stopping the
 * machine's PostgreSQL and Redis: DATABASE_URL and REDIS_URL point at a closed port, and `docker`,
 * `pg_ctlcluster` and `redis-server` on PATH are stand-ins that fail and record that they were asked
 * (so nothing of the machine's services is started or touched).
 */
describe('the scripts without PostgreSQL, Redis or a Docker engine', () => {
  let tmp: string;
  let bin: string;
  const asked = () => (existsSync(join(tmp, 'asked')) ? readFileSync(join(tmp, 'asked'), 'utf8') : '');

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    // The outer jest's settings (and CI) must not leak into the run under test.
    const own = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(JEST_|CI$|DATABASE_|REDIS_|PG[A-Z])/.test(key)),
    );
    return {
      ...own,
      PATH: `${bin}:${process.env.PATH}`,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/skills',
      REDIS_URL: 'redis://127.0.0.1:1',
      ...extra,
    };
  };

  const run = (script: string, args: string[], environment: NodeJS.ProcessEnv) => {
    const child = spawn('bash', [join(ROOT, 'scripts', script), ...args], {
      cwd: ROOT,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = { child, output: '' };
    child.stdout!.on('data', (d) => (result.output += d));
    child.stderr!.on('data', (d) => (result.output += d));
    return result;
  };
  const exitCode = async (child: ChildProcess) => {
    const [code] = await once(child, 'close');
    return code as number | null;
  };

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'skills-scripts-'));
    bin = join(tmp, 'bin');
    mkdirSync(bin);
    // A Docker CLI without an engine, and service starters that must never be reached.
    for (const tool of ['docker', 'pg_ctlcluster', 'redis-server']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${join(tmp, 'asked')}"\nexit 1\n`);
      chmodSync(join(bin, tool), 0o755);
    }
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => rmSync(join(tmp, 'asked'), { force: true }));

  it('npm run quickstart falls back to the embedded demo year, touching no service of the machine', async () => {
    const varDir = join(tmp, 'var');
    mkdirSync(varDir);
    // The dependencies are installed (this checkout's): the script skips npm ci, as on a second run.
    const lock = createHash('sha256')
      .update(readFileSync(join(ROOT, 'package-lock.json')))
      .digest('hex');
    writeFileSync(join(varDir, '.installed'), `${lock}\n`);
    const port = await freePort();
    const quickstart = run('quickstart.sh', [], env({ QUICKSTART_VAR_DIR: varDir, PORT: String(port) }));
    const started = Date.now();
    try {
      // PGlite opened and migrating: the embedded mode has begun, with no PostgreSQL or Redis.
      while (!quickstart.output.includes('==> migrating')) {
        if (quickstart.child.exitCode !== null) break;
        if (Date.now() - started > 90_000) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await stopChild(quickstart.child, 'SIGKILL');
      await untilPortFree(port);
    }
    const output = quickstart.output;
    expect(output).toContain('==> dependencies are installed');
    expect(output).toContain('PostgreSQL is not running at 127.0.0.1 1');
    expect(output).toContain(
      '==> no PostgreSQL and Redis here, and nothing to start them with: using the embedded mode (PGlite, no Redis) with the demo year',
    );
    expect(output).toContain(
      `==> embedded PostgreSQL (PGlite), data directory ${join(varDir, 'pgdata-demo')}`,
    );
    expect(output).toContain('==> migrating');
    expect(output.indexOf('no PostgreSQL and Redis here')).toBeLessThan(
      output.indexOf('embedded PostgreSQL'),
    );
    // Asked for an engine, found none; never asked to start the machine's PostgreSQL or Redis.
    expect(asked()).toMatch(/^docker info/m);
    expect(asked()).not.toMatch(/pg_ctlcluster|redis-server/);
  });

  // The smallest unit spec: enough to see which projects ran.
  const tinySpec = 'libs/application/src/backup/backup-records.unit.spec.ts';

  it('npm test runs the unit and embedded projects, then names every suite it could not run and why', async () => {
    const tests = run('test.sh', [tinySpec], env());
    const code = await exitCode(tests.child);
    const output = tests.output;
    expect(output).toMatch(/PASS unit libs\/application\/src\/backup\/backup-records\.unit\.spec\.ts/);
    expect(output).toMatch(/Test Suites: 1 passed, 1 total/);
    expect(output).toContain('NOT RUN: the integration suites below need PostgreSQL and Redis, and here:');
    expect(output).toContain('  PostgreSQL is not running at 127.0.0.1 1.');
    for (const suite of ['test/backup/backup-restore.spec.ts', 'test/reports/projections.spec.ts']) {
      if (existsSync(join(ROOT, suite))) expect(output).toContain(`  - ${suite}`);
    }
    expect(output).not.toContain('  - test/embedded/');
    expect(output).not.toContain('CI is set');
    expect(code).toBe(0);
    expect(asked()).not.toMatch(/pg_ctlcluster|redis-server/);
  });

  it('npm test fails such a run when CI is set', async () => {
    const tests = run('test.sh', [tinySpec], env({ CI: 'true' }));
    const code = await exitCode(tests.child);
    expect(tests.output).toMatch(/Test Suites: 1 passed, 1 total/);
    expect(tests.output).toContain('NOT RUN: the integration suites below need PostgreSQL and Redis');
    expect(tests.output).toContain('CI is set: a run without the integration suites fails.');
    expect(code).toBe(1);
  });
});
