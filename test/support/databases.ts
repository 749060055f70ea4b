import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

/** The migrated template of this test run (set by global-setup; each run has its own, so runs never collide). */
export const templateDb = (): string => process.env.SKILLS_TEST_TEMPLATE ?? 'skills_tpl_default';

/** Database names carry their creation time, so a later run can drop what a killed run left behind. */
export const stampedName = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
export const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

export function adminUrl(): string {
  return process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated template: every test file gets its own, in parallel. */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const name = stampedName('skills_t');
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
        return;
      } catch (error) {
        // Two clones at the same instant collide on the template ("being accessed by other users").
        if (attempt > 20 || !/being accessed/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  });
  return {
    name,
    url: urlFor(name),
    drop: () =>
      withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export { withAdmin };
