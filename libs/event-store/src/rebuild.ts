import type { Database, SqlClient } from '@app/platform/database';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from './event-reads';
import { LEDGER_LOCK_KEY } from './ledger-head';
import type { Projection } from './projection';
import type { StoredEvent } from './types';

/**
 * Rebuilds read models from the first event in one transaction. Readers keep seeing the old tables
 * (MVCC) until it commits; appends wait on the ledger lock so nothing slips between replay and commit.
 * The log is read in pages; a projection with `applyBatch` writes a page set-based (a few statements
 * whatever the page holds), the others get `apply` per event, on the transaction itself.
 */
export async function rebuildProjections(
  db: Database,
  inline: readonly Projection[],
  asynchronous: readonly Projection[],
  now: () => Date,
  pageSize = 5000,
): Promise<{ events: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_LOCK_KEY]);
    // Lock the async checkpoints before touching any read table: a worker batch takes its checkpoint
    // first too, so the two wait on each other in the same order and never deadlock.
    const names = asynchronous.map((p) => p.name);
    await tx.query(
      `INSERT INTO projection_checkpoints (name, position, status, updated_at)
       SELECT n, 0, 'running', $2 FROM unnest($1::text[]) AS n ON CONFLICT (name) DO NOTHING`,
      [names, now()],
    );
    await tx.query('SELECT name FROM projection_checkpoints WHERE name = ANY($1) ORDER BY name FOR UPDATE', [
      names,
    ]);
    const all = [...inline, ...asynchronous];
    for (const projection of all) {
      for (const table of projection.tables) await tx.query(`DELETE FROM ${table}`);
    }
    await tx.query('DELETE FROM projection_dead_letters WHERE projection = ANY($1)', [
      all.map((p) => p.name),
    ]);
    const handles = all.map((p) => new Set(p.handles));
    let cursor = 0;
    let count = 0;
    for (;;) {
      const rows = await tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [cursor, pageSize],
      );
      if (rows.length === 0) break;
      const page = rows.map(toStoredEvent);
      for (const [i, projection] of all.entries()) {
        await replay(
          tx,
          projection,
          page.filter((e) => handles[i].has(e.type)),
        );
      }
      count += rows.length;
      cursor = page[page.length - 1].position;
    }
    for (const projection of asynchronous) {
      await tx.query(
        `INSERT INTO projection_checkpoints (name, position, status, updated_at) VALUES ($1, $2, 'running', $3)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
        [projection.name, cursor, now()],
      );
    }
    return { events: count };
  });
}

async function replay(tx: SqlClient, projection: Projection, events: StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (projection.applyBatch) return projection.applyBatch(tx, events);
  for (const event of events) await projection.apply(tx, event);
}
