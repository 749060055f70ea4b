import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Database } from './database';

const LOGIN_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The login the api and the worker use: it may log in and become `skills_app` (insert and select the
 * ledger, never change it), and nothing else: no superuser, no role management, no ownership. Run by
 * migrate with the owner's connection; running it again sets the password again and changes nothing else.
 */
export async function ensureAppLogin(ownerUrl: string, login: string, password: string): Promise<void> {
  if (!LOGIN_NAME.test(login)) throw new Error(`APP_DATABASE_USER “${login}” 不是合法的角色名`);
  if (password.length < 16) throw new Error('应用登录账号的密码至少需要 16 个字符');
  const db = Database.create({ url: ownerUrl, poolSize: 1, applicationName: 'skills-ledger-migrate' });
  await db.connect();
  try {
    await db.transaction(async (tx) => {
      const [owner] = await tx.query<{ owns: boolean }>(
        `SELECT $1 = current_user OR COALESCE(pg_has_role($1, c.relowner, 'MEMBER'), false) AS owns
           FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('public.events') WHERE r.rolname = $1`,
        [login],
      );
      if (owner?.owns) throw new Error(`${login} 拥有账本，不能作为应用登录账号`);
      const verb = owner ? 'ALTER' : 'CREATE';
      const [{ sql }] = await tx.query<{ sql: string }>(
        `SELECT format('${verb} ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', $1::text, $2::text) AS sql`,
        [login, password],
      );
      await tx.query(sql);
      const [{ grant }] = await tx.query<{ grant: string }>(
        `SELECT format('GRANT skills_app TO %I', $1::text) AS grant`,
        [login],
      );
      await tx.query(grant);
    });
  } finally {
    await db.close();
  }
}

/**
 * `APP_DATABASE_USER` with `APP_DATABASE_PASSWORD`, or `APP_DATABASE_PASSWORD_FILE`: a file that does not
 * exist yet gets a random password (0600), which the api and the worker then read through
 * DATABASE_PASSWORD_FILE, so the secret never sits in anyone's environment. Nothing set: nothing done.
 */
export async function ensureAppLoginFromEnv(
  ownerUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const login = env.APP_DATABASE_USER;
  if (!login) return undefined;
  let password = env.APP_DATABASE_PASSWORD;
  const file = env.APP_DATABASE_PASSWORD_FILE;
  if (!password && file) {
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
    password = readFileSync(file, 'utf8').trim();
  }
  if (!password)
    throw new Error('APP_DATABASE_USER 需要 APP_DATABASE_PASSWORD 或 APP_DATABASE_PASSWORD_FILE');
  await ensureAppLogin(ownerUrl, login, password);
  return login;
}
