import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAppLogin, ensureAppLoginFromEnv } from '../../libs/platform/src/app-login';
import { loadConfig } from '../../libs/platform/src/config';
import { Database, UnsafeDatabaseError } from '../../libs/platform/src/database';
import { checkRuntimeLogin, loginPowers } from '../../libs/platform/src/runtime-login';
import { createTestDatabase, withAdmin } from '../support/databases';

jest.setTimeout(60_000);

/**
 * The deployment's logins on the real PostgreSQL: migrate creates a login that can only become
 * skills_app; the api and worker refuse to start in production on a login that could undo the
 * ledger's guards (a superuser, or whoever may act as the events table's owner).
 */
describe('runtime database login', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const suffix = randomBytes(4).toString('hex');
  const appLogin = `skills_api_t${suffix}`;
  const ownerLogin = `skills_own_t${suffix}`;
  const password = randomBytes(18).toString('base64url');
  const as = (login: string) => {
    const url = new URL(database.url);
    url.username = login;
    url.password = password;
    return url.toString();
  };
  const config = (url: string, nodeEnv: string) => loadConfig({ DATABASE_URL: url, NODE_ENV: nodeEnv });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    await withAdmin(async (c) => {
      for (const role of [appLogin, ownerLogin]) await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it('creates the application login: it may become skills_app and nothing more', async () => {
    await ensureAppLogin(database.url, appLogin, password);
    await ensureAppLogin(database.url, appLogin, password); // again: nothing breaks
    const db = await Database.create({ url: as(appLogin), poolSize: 1 }).connect();
    try {
      expect(await loginPowers(db)).toEqual({
        login: appLogin,
        superuser: false,
        ownsLedger: false,
        managesRoles: false,
      });
      await db.withClient(async (c) => {
        await c.query('SET ROLE skills_app');
        expect(await c.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 0 }]);
        await c.query('RESET ROLE'); // what a stolen session would try first
        await expect(c.query('ALTER TABLE events DISABLE TRIGGER ALL')).rejects.toMatchObject({
          code: '42501',
        });
        await expect(c.query(`UPDATE events SET type = 'x'`)).rejects.toMatchObject({ code: '42501' });
      });
    } finally {
      await db.close();
    }
  });

  it('lets the api and worker start in production on that login', async () => {
    const warn = jest.fn();
    await expect(checkRuntimeLogin(config(as(appLogin), 'production'), warn)).resolves.toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses to start in production on a superuser, and only warns in development', async () => {
    const warn = jest.fn();
    await expect(checkRuntimeLogin(config(database.url, 'production'), warn)).rejects.toThrow(
      UnsafeDatabaseError,
    );
    await expect(checkRuntimeLogin(config(database.url, 'production'), warn)).rejects.toThrow(/超级用户/);
    await checkRuntimeLogin(config(database.url, 'development'), warn);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/超级用户.*仅警告/));
  });

  it('refuses a login that may act as the owner of the events table', async () => {
    const owner = await Database.create({ url: database.url, poolSize: 1 }).connect();
    try {
      await owner.query(`CREATE ROLE ${ownerLogin} LOGIN PASSWORD '${password}'`);
      const [{ name }] = await owner.query(
        `SELECT pg_get_userbyid(relowner) AS name FROM pg_class WHERE oid = 'public.events'::regclass`,
      );
      await owner.query(`GRANT ${name} TO ${ownerLogin}`);
    } finally {
      await owner.close();
    }
    await expect(checkRuntimeLogin(config(as(ownerLogin), 'production'), jest.fn())).rejects.toThrow(
      /events 表的所有者/,
    );
    await expect(ensureAppLogin(database.url, ownerLogin, password)).rejects.toThrow(/拥有账本/);
  });

  it('gives the login a generated password kept in a 0600 file, read back through DATABASE_PASSWORD_FILE', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'skills-login-')), 'db-password');
    const env = { APP_DATABASE_USER: appLogin, APP_DATABASE_PASSWORD_FILE: file };
    expect(await ensureAppLoginFromEnv(database.url, env)).toBe(appLogin);
    const secret = readFileSync(file, 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await ensureAppLoginFromEnv(database.url, env);
    expect(readFileSync(file, 'utf8')).toBe(secret);
    const url = new URL(database.url);
    url.username = appLogin;
    const loaded = loadConfig({ DATABASE_URL: url.toString(), DATABASE_PASSWORD_FILE: file });
    expect(new URL(loaded.DATABASE_URL).password).toBe(encodeURIComponent(secret));
  });
});
