import type { AppConfig } from './config';
import { Database, UnsafeDatabaseError } from './database';

export interface LoginPowers {
  login: string;
  superuser: boolean;
  /** May act as the owner of the events table (is it, or a member of its role): triggers off, rewrite. */
  ownsLedger: boolean;
  /** May create roles and grant them: on PostgreSQL before 16, that reaches the owner too. */
  managesRoles: boolean;
}

/**
 * What the login behind `DATABASE_URL` could do if it shed `-c role=skills_app` (RESET ROLE is open to
 * any session): the role switch only protects the ledger when the login itself is weak.
 */
export async function loginPowers(db: Database): Promise<LoginPowers> {
  const [row] = await db.query<{
    login: string;
    superuser: boolean;
    owns_ledger: boolean;
    manages_roles: boolean;
  }>(
    `SELECT r.rolname AS login, r.rolsuper AS superuser, r.rolcreaterole AS manages_roles,
            COALESCE(pg_has_role(session_user, c.relowner, 'MEMBER'), false) AS owns_ledger
       FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('public.events')
      WHERE r.rolname = session_user`,
  );
  return {
    login: row.login,
    superuser: row.superuser,
    ownsLedger: row.owns_ledger,
    managesRoles: row.manages_roles,
  };
}

const problemsOf = (p: LoginPowers): string[] =>
  [
    p.superuser ? '是超级用户' : null,
    p.ownsLedger ? '拥有（或可充当）events 表的所有者' : null,
    p.managesRoles ? '可以创建和授予角色' : null,
  ].filter((x): x is string => x !== null);

/**
 * Run by the api and the worker before they start (never by migrate or the tests): in production a
 * login that could undo the ledger's guards refuses to start; in development it is said aloud. Callers
 * that cannot separate logins (an embedded single-process database) skip this and say so themselves.
 */
export async function checkRuntimeLogin(config: AppConfig, warn: (message: string) => void): Promise<void> {
  if (config.NODE_ENV === 'test') return;
  const db = Database.create({
    url: config.DATABASE_URL,
    poolSize: 1,
    applicationName: 'skills-ledger-check',
  });
  await db.connect();
  let powers: LoginPowers;
  try {
    powers = await loginPowers(db);
  } finally {
    await db.close();
  }
  const problems = problemsOf(powers);
  if (problems.length === 0) return;
  const message =
    `数据库登录账号 ${powers.login} ${problems.join('、')}：它可以 RESET ROLE 后关闭触发器、改写账本。` +
    '请让 api 和 worker 使用只能插入、读取账本的非所有者账号（见 docs/security.md），迁移另用 MIGRATION_DATABASE_URL。';
  if (config.NODE_ENV === 'production') throw new UnsafeDatabaseError(`${message}生产环境拒绝启动。`);
  warn(`${message}（开发环境：仅警告）`);
}
