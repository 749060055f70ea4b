import * as argon2 from 'argon2';
import type { DemoAccount } from './demo';
import type { QuickstartSecrets } from './env-file';

export type OwnerQuery = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

/** What the database says about the quickstart that set it up. */
export interface QuickstartRecord {
  username: string;
  password: string;
  /** When this database holds the demo year: its clock (FAKE_NOW) and its accounts. */
  demo: DemoRecord | null;
}

export interface DemoRecord {
  now: string;
  accounts: DemoAccount[];
}

/** The outcome of matching this clone's var/quickstart.env with the database it is about to use. */
export type AdminDecision =
  | { kind: 'recorded'; secrets: QuickstartSecrets } // first quickstart on this database
  | { kind: 'reused'; secrets: QuickstartSecrets } // the database's admin, written back to var/
  | { kind: 'same'; secrets: QuickstartSecrets }
  | { kind: 'unknown-admin'; username: string }; // an admin made elsewhere, password unknown

/**
 * A quickstart database keeps the login its quickstart generated, in a table only the owner can read
 * (never the application role), so a second clone or a deleted var/ on the same database logs in with
 * the admin that already exists instead of a fresh password that matches nothing.
 */
export async function ensureRecordTable(query: OwnerQuery): Promise<void> {
  await query(`CREATE TABLE IF NOT EXISTS quickstart_login (
      id          integer PRIMARY KEY CHECK (id = 1),
      username    text NOT NULL,
      password    text NOT NULL,
      demo        jsonb,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  await query('REVOKE ALL ON quickstart_login FROM PUBLIC');
  await query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skills_app') THEN
        REVOKE ALL ON quickstart_login FROM skills_app;
      END IF;
    END $$`);
}

export async function readRecord(query: OwnerQuery): Promise<QuickstartRecord | null> {
  const [row] = await query<{ username: string; password: string; demo: DemoRecord | null }>(
    'SELECT username, password, demo FROM quickstart_login WHERE id = 1',
  );
  return row ? { username: row.username, password: row.password, demo: row.demo } : null;
}

export async function writeRecord(query: OwnerQuery, secrets: QuickstartSecrets): Promise<void> {
  await query(
    `INSERT INTO quickstart_login (id, username, password) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET username = $1, password = $2, recorded_at = now()`,
    [secrets.ADMIN_USERNAME, secrets.ADMIN_PASSWORD],
  );
}

export async function recordDemo(query: OwnerQuery, demo: DemoRecord): Promise<void> {
  await query('UPDATE quickstart_login SET demo = $1 WHERE id = 1', [JSON.stringify(demo)]);
}

export async function decideAdmin(query: OwnerQuery, secrets: QuickstartSecrets): Promise<AdminDecision> {
  const record = await readRecord(query);
  if (record) {
    const same = record.username === secrets.ADMIN_USERNAME && record.password === secrets.ADMIN_PASSWORD;
    const merged = { ...secrets, ADMIN_USERNAME: record.username, ADMIN_PASSWORD: record.password };
    return { kind: same ? 'same' : 'reused', secrets: merged };
  }
  const [existing] = await query<{ password_hash: string }>(
    'SELECT password_hash FROM user_credentials WHERE username = $1',
    [secrets.ADMIN_USERNAME],
  );
  if (existing && !(await argon2.verify(existing.password_hash, secrets.ADMIN_PASSWORD).catch(() => false))) {
    return { kind: 'unknown-admin', username: secrets.ADMIN_USERNAME };
  }
  await writeRecord(query, secrets);
  return { kind: 'recorded', secrets };
}
