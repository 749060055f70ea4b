import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../apps/quickstart/src/api-client';
import { parseEnv } from '../../apps/quickstart/src/env-file';
import buildDist from '../embedded/global-setup';
import { freePort, QuickstartRun, untilPortFree } from '../embedded/support';
import { stampedName, urlFor, withAdmin } from '../support/databases';

jest.setTimeout(600_000);

/**
 * Issue 18, item 4, on the system PostgreSQL: a new clone (or a deleted var/) on a machine whose
 * database a quickstart already set up. It reuses the admin recorded in that database and says how
 * to reset it; an admin it did not create stops it with one line; --reset-admin then gets it going.
 */
describe('a quickstart rerun against an existing database', () => {
  const database = stampedName('skills_t');
  const prefix = `qs-rerun-${randomBytes(4).toString('hex')}`;
  let tmp: string;
  let port: number;
  let run: QuickstartRun | undefined;

  const clone = (name: string) => join(tmp, name); // each "clone" has its own var/
  const start = (varDir: string, args: string[] = []) => {
    run = new QuickstartRun(args, {
      QUICKSTART_VAR_DIR: varDir,
      PORT: String(port),
      DATABASE_URL: urlFor(database),
      BULLMQ_PREFIX: prefix,
      FAKE_NOW: '2024-01-10T02:00:00.000Z',
      LOG_LEVEL: 'warn',
    });
    return run;
  };
  const secrets = (varDir: string) => parseEnv(readFileSync(join(varDir, 'quickstart.env'), 'utf8'));
  const login = (varDir: string) =>
    new ApiClient(`http://127.0.0.1:${port}`).login(
      secrets(varDir).ADMIN_USERNAME,
      secrets(varDir).ADMIN_PASSWORD,
    );
  const stop = async () => {
    await run?.stop('SIGTERM');
    run = undefined;
    await untilPortFree(port);
  };

  beforeAll(async () => {
    buildDist(); // the compiled quickstart, as npm run quickstart runs it
    tmp = mkdtempSync(join(tmpdir(), 'skills-rerun-'));
    port = await freePort();
  });
  afterEach(stop);
  afterAll(async () => {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('sets up a new database, then a new clone reuses the admin recorded there and says how to reset it', async () => {
    const first = clone('first');
    await start(first).ready();
    const password = secrets(first).ADMIN_PASSWORD;
    await login(first);
    await stop();

    const second = clone('second');
    const rerun = start(second);
    await rerun.ready();
    expect(rerun.output).toContain(
      '==> this database was set up by an earlier quickstart: reusing its admin admin (new password: npm run quickstart -- --reset-admin)',
    );
    expect(secrets(second).ADMIN_PASSWORD).toBe(password);
    const root = await login(second);
    expect((await root.get<{ units: unknown[] }>('/api/v1/plans/2024')).body.units).toHaveLength(151);
  });

  it('stops with one line when the admin was not made by a quickstart, and --reset-admin recovers', async () => {
    const { Client } = await import('pg');
    const owner = new Client({ connectionString: urlFor(database) });
    await owner.connect();
    await owner.query('DELETE FROM quickstart_login');
    await owner.end();

    const third = clone('third');
    const refused = start(third);
    await expect(refused.ready()).rejects.toThrow(/exited with 1/);
    const lines = refused.output.split('\n').filter((l) => l.startsWith('quickstart: '));
    expect(lines).toEqual([
      `quickstart: this database already has a user admin whose password is not the one in ${join(third, 'quickstart.env')}: run npm run quickstart -- --reset-admin, or use another database (DATABASE_URL)`,
    ]);
    expect(refused.output).not.toMatch(/SyntaxError|Unexpected end of JSON/);

    await start(third, ['--reset-admin']).ready();
    await login(third);
  });
});
