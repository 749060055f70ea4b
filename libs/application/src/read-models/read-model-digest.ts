import type { SqlClient } from '@app/platform/database';
import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from './registry';

export const READ_TABLES = [
  ...new Set([...INLINE_PROJECTIONS, ...ASYNC_PROJECTIONS].flatMap((p) => p.tables)),
];

export type ReadModelDigests = Record<string, { rows: number; sha256: string }>;

/**
 * SHA-256 over every row of every read table, rows in a fixed (byte-wise) order, computed by PostgreSQL
 * so no table passes through this process: equal digests, equal read models.
 */
export async function readModelDigests(db: SqlClient): Promise<ReadModelDigests> {
  const out: ReadModelDigests = {};
  for (const table of READ_TABLES) {
    const [row] = await db.query<{ rows: number; sha256: string }>(
      `SELECT count(*)::int AS rows,
              encode(sha256(convert_to(coalesce(
                string_agg(to_jsonb(t)::text, E'\\n' ORDER BY to_jsonb(t)::text COLLATE "C"), ''), 'UTF8')), 'hex')
                AS sha256
         FROM ${table} t`,
    );
    out[table] = { rows: row.rows, sha256: row.sha256 };
  }
  return out;
}

/** The tables whose digests differ between two states. */
export const differingTables = (a: ReadModelDigests, b: ReadModelDigests): string[] =>
  READ_TABLES.filter((t) => a[t]?.sha256 !== b[t]?.sha256 || a[t]?.rows !== b[t]?.rows);
