import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedServer } from './support';

jest.setTimeout(120_000);

/** The embedded database as the api and the worker see it: many pg connections at once. */
describe('the embedded database over the wire protocol', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof startEmbeddedServer>>;
  let pool: Pool;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skills-embedded-'));
    db = await startEmbeddedServer(join(dir, 'pgdata'));
    pool = new Pool({ connectionString: db.url, max: 10 });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each of many concurrent parameterised queries with its own answer', async () => {
    // Large parameters arrive in several TCP chunks: the point where another connection could cut in.
    const big = (i: number) => `${i}:`.padEnd(i % 3 === 0 ? 200_000 : 10, 'x');
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const text =
          i % 2
            ? 'SELECT $1::int * 2 AS v, $2::text AS s FROM generate_series(1, 3)'
            : 'SELECT $1::int + $1::int AS v, $2::text AS s, 0 AS unused';
        const result = await pool.query(text, [i, big(i)]).catch((error: Error) => ({ error }));
        if ('error' in result) return wrong.push(`${i}: ${result.error.message}`);
        const row = result.rows[0];
        if (row.v !== i * 2 || row.s !== big(i)) wrong.push(`${i}: ${row.v} ${String(row.s).slice(0, 10)}`);
      }),
    );
    expect(wrong).toEqual([]);
  });

  it('lets a second connection wait until the first one commits', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS t (x int)');
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO t VALUES ($1)', [1]);
      let seen: number | undefined;
      const reading = b.query('SELECT count(*)::int AS n FROM t').then((r) => (seen = r.rows[0].n));
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toBeUndefined();
      await a.query('COMMIT');
      await reading;
      expect(seen).toBe(1);
    } finally {
      a.release();
      b.release();
    }
  });

  it('takes advisory locks and keeps what the ledger trigger refuses refused', async () => {
    await pool.query('SELECT pg_advisory_xact_lock(42)');
    await pool.query(`CREATE TABLE guarded (x int)`);
    await pool.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused %', TG_OP; END $$`);
    await pool.query(
      `CREATE TRIGGER no_update BEFORE UPDATE OR DELETE ON guarded FOR EACH ROW EXECUTE FUNCTION refuse()`,
    );
    await pool.query('INSERT INTO guarded VALUES (1)');
    await expect(pool.query('DELETE FROM guarded')).rejects.toThrow(/refused DELETE/);
  });
});
