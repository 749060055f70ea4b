import { migrate } from '../../libs/platform/src/database';
import { TEMPLATE_DB, urlFor, withAdmin } from './databases';

/** Builds the migrated template database once per test run; each test file clones it. */
export default async function globalSetup(): Promise<void> {
  process.env.PG_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  await withAdmin(async (c) => {
    const stale = await c.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'skills_t\\_%' OR datname = $1`,
      [TEMPLATE_DB],
    );
    for (const row of stale.rows) await c.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  await migrate(urlFor(TEMPLATE_DB));
}
