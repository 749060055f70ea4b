import type { Row, SqlClient } from '@app/platform/database';
import { sqlLiteral } from './sql-literal';

const WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;
const RETURNING = /\bRETURNING\b/i;

/** True for a statement that answers no rows, so it can be sent later without changing what its caller sees. */
export function isDeferrableWrite(sql: string): boolean {
  return WRITE.test(sql) && !RETURNING.test(sql);
}

/**
 * The statement with its parameters inlined as escaped literals. Why literals: a group commit sends its
 * whole batch (ledger lock, head check, events, hook writes, COMMIT) as ONE simple-protocol query, so
 * the batch costs one round trip while the ledger lock is held; the simple protocol carries no
 * parameters, and node-postgres sends each parameterised statement as its own round trip. The statements come from our
 * own projection and hook code (`$n` there is always a placeholder, never inside a string), and every
 * value goes through `sqlLiteral`, which quotes it as pg's escapeLiteral does. Literals are untyped, so
 * PostgreSQL types them from their place, as it does parameters; explicit casts keep working.
 */
export function inlineParams(sql: string, params: readonly unknown[] = []): string {
  if (params.length === 0) return sql;
  return sql.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(params[Number(n) - 1]));
}

/** A hook asked for rows: its append cannot be written in a batch's single round trip. */
export class NeedsConnectionError extends Error {
  constructor(readonly sql: string) {
    super(`a hook read inside the append transaction: ${sql.slice(0, 80)}`);
    this.name = 'NeedsConnectionError';
  }
}

/**
 * A SqlClient for append hooks that only collects their writes, inlined, to be sent with the events in
 * one round trip. A hook that reads (or asks for RETURNING rows) gets NeedsConnectionError, and its batch
 * is written the slow way, on a real connection.
 */
export class DeferredWrites implements SqlClient {
  readonly writes: Write[] = [];

  query<R = Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    if (!isDeferrableWrite(sql)) return Promise.reject(new NeedsConnectionError(sql));
    this.writes.push({ sql, params });
    return Promise.resolve([]);
  }
}

export interface Write {
  sql: string;
  params: readonly unknown[];
}

/** `INSERT INTO table [AS alias] (columns) VALUES ($1, ..., $n) [ON CONFLICT ... without parameters]`. */
const SINGLE_ROW_INSERT =
  /^\s*INSERT\s+INTO\s+([\w.]+)((?:\s+AS\s+\w+)?\s*\([^)]*\))\s*VALUES\s*(\(\s*\$\d+(?:\s*,\s*\$\d+)*\s*\))([^$]*)$/i;

/**
 * The writes as statements for one simple query, single-row INSERTs of the same text merged into one
 * multi-row INSERT (one statement to parse, plan and run instead of one per append). A write joins an
 * earlier one of its text only when no statement in between names its table, so every table sees its
 * writes in the order they were made. Rows of one statement that hit the same key make it fail (a unique
 * key, or ON CONFLICT DO UPDATE touching a row twice), as the writes alone would have, or stricter: the
 * caller then writes the appends one by one.
 */
export function mergeWrites(writes: readonly Write[]): string[] {
  const out: {
    table?: string;
    head?: string;
    tail?: string;
    rows?: string[];
    text?: string;
    sql?: string;
  }[] = [];
  for (const w of writes) {
    const m = SINGLE_ROW_INSERT.exec(w.sql);
    if (m) {
      const [, table, columns, tuple, tail] = m;
      const row = inlineParams(tuple, w.params);
      let joined = false;
      for (let i = out.length - 1; i >= 0; i--) {
        const entry = out[i];
        if (entry.rows && entry.sql === w.sql) {
          entry.rows.push(row);
          joined = true;
          break;
        }
        if (mentions(entry.table ?? entry.text ?? '', table)) break;
      }
      if (!joined)
        out.push({ table, sql: w.sql, head: `INSERT INTO ${table}${columns} VALUES `, tail, rows: [row] });
    } else {
      out.push({ text: inlineParams(w.sql, w.params) });
    }
  }
  return out.map((e) => (e.rows ? `${e.head}${e.rows.join(', ')}${e.tail}` : e.text!));
}

function mentions(text: string, table: string): boolean {
  return new RegExp(`\\b${table.replace(/[.]/g, '\\.')}\\b`, 'i').test(text);
}
