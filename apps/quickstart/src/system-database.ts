import { Client } from 'pg';

/** A failure the user can act on: its message is one line that says what to do. */
export class QuickstartFailure extends Error {}

/** The system PostgreSQL's database of DATABASE_URL, created when missing (the quickstart's own). */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } catch (error) {
    throw new QuickstartFailure(
      `PostgreSQL at ${target.host} did not let the quickstart use database ${name} (${firstLine(error)}): start PostgreSQL, fix DATABASE_URL, or run npm run quickstart -- --embedded`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
