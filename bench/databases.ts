import { adminUrl, urlFor, withAdmin } from '../test/support/databases';

export { adminUrl, urlFor };

/**
 * Every database a run creates carries the run's stamp, so cleanup drops exactly those and a killed
 * run's leftovers can be recognised (skills_bench_<stamp>...).
 */
export class BenchDatabases {
  private readonly created: string[] = [];

  constructor(readonly stamp: string) {}

  async create(suffix = ''): Promise<{ name: string; url: string }> {
    const name = `skills_bench_${this.stamp}${suffix ? `_${suffix}` : ''}`;
    await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    this.created.push(name);
    return { name, url: urlFor(name) };
  }

  async drop(name: string): Promise<void> {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const i = this.created.indexOf(name);
    if (i >= 0) this.created.splice(i, 1);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.created].reverse()) {
      await this.drop(name).catch((error) => {
        process.stderr.write(`could not drop ${name}: ${String(error)}\n`);
      });
    }
  }
}

export async function serverVersion(): Promise<string> {
  return withAdmin(async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
}

const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

/** Databases of bench runs that were killed hours ago (the name starts with the run's time in base 36). */
export async function dropStaleDatabases(): Promise<void> {
  await withAdmin(async (c) => {
    const { rows } = await c.query(
      `SELECT datname FROM pg_database WHERE datname ~ '^skills_bench_[0-9a-z]+_[0-9a-f]+'`,
    );
    for (const { datname } of rows) {
      const born = parseInt(datname.split('_')[2], 36);
      if (Date.now() - born > STALE_AFTER_MS)
        await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
}
