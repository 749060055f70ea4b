import { migrate } from '../../libs/platform/src/database';
import { MIGRATIONS } from '../../migrations';
import { STALE_AFTER_MS, stampedName, urlFor, withAdmin } from './databases';

/**
 * Builds this run's migrated template database; each test file clones it. Databases that runs killed
 * long ago left behind are dropped; those of runs still going (other shells, CI) are left alone.
 */
export default async function globalSetup(): Promise<void> {
  process.env.PG_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const template = stampedName('skills_tpl');
  process.env.SKILLS_TEST_TEMPLATE = template;
  await withAdmin(async (c) => {
    const all = await c.query(
      `SELECT datname FROM pg_database WHERE datname ~ '^skills_(t|tpl)_[0-9a-z]+_[0-9a-f]+$'`,
    );
    for (const { datname } of all.rows) {
      const born = parseInt(datname.split('_')[2], 36);
      if (Date.now() - born > STALE_AFTER_MS)
        await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await c.query(`CREATE DATABASE ${template}`);
  });
  await migrate(urlFor(template), MIGRATIONS);
}
