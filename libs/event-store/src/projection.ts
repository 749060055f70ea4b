import type { PoolClient } from 'pg';
import type { Database, SqlClient } from '@app/platform/database';
import { inlineParams, isDeferrableWrite } from './deferred-sql';
import { toStoredEvent } from './event-reads';
import { LEDGER_LOCK_KEY } from './ledger-head';
import type { StoredEvent } from './types';

/**
 * A read model built from the events table. `apply` runs inside the transaction that also moves the
 * projection's checkpoint (async) or that appends the event (inline), so a crash never half-applies.
 */
export interface Projection {
  readonly name: string;
  /** Event types it reads; others are skipped without a call. */
  readonly handles: readonly string[];
  /** Read tables it owns, emptied before a rebuild. */
  readonly tables: readonly string[];
  apply(tx: SqlClient, event: StoredEvent): Promise<void>;
}

export interface ProjectionStatus {
  name: string;
  position: number;
  lag: number;
  status: string;
  deadLetters: number;
}

/** Applies an inline projection's share of freshly appended events, inside the append transaction. */
export async function applyInline(
  projections: readonly Projection[],
  tx: SqlClient,
  events: StoredEvent[],
): Promise<void> {
  for (const event of events) {
    for (const projection of projections) {
      if (projection.handles.includes(event.type)) await projection.apply(tx, event);
    }
  }
}

/**
 * Moves async projections forward from their checkpoints. Several workers may run it at once: the
 * checkpoint row is locked for the batch, so each event is applied once. An event a projection cannot
 * apply goes to the dead-letter table with its error, and the projection goes on.
 */
export class ProjectionRunner {
  constructor(
    private readonly db: Database,
    private readonly projections: readonly Projection[],
    private readonly now: () => Date,
    private readonly batchSize = 500,
  ) {}

  /** Runs every projection until it has caught up; returns how many events were applied. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (const projection of this.projections) {
      for (;;) {
        const applied = await this.step(projection);
        total += applied;
        if (applied < this.batchSize) break;
      }
    }
    return total;
  }

  /** One batch for one projection, in one transaction with its checkpoint. */
  async step(projection: Projection): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO projection_checkpoints (name, position, status, updated_at) VALUES ($1, 0, 'running', $2)
         ON CONFLICT (name) DO NOTHING`,
        [projection.name, this.now()],
      );
      const [checkpoint] = await tx.query<{ position: string }>(
        'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
        [projection.name],
      );
      const rows = await tx.query(
        `SELECT position, stream_id, stream_position, type, schema_version, data, metadata, recorded_at, prev_hash, hash
           FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [Number(checkpoint.position), this.batchSize],
      );
      if (rows.length === 0) return 0;
      for (const row of rows) {
        const event = toStoredEvent(row);
        if (!projection.handles.includes(event.type)) continue;
        await tx.query('SAVEPOINT projection_event');
        try {
          await projection.apply(tx, event);
          await tx.query('RELEASE SAVEPOINT projection_event');
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT projection_event');
          await tx.query(
            `INSERT INTO projection_dead_letters (projection, position, event_type, error, recorded_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (projection, position) DO NOTHING`,
            [
              projection.name,
              event.position,
              event.type,
              String((error as Error)?.message ?? error),
              this.now(),
            ],
          );
        }
      }
      const last = Number(rows[rows.length - 1].position);
      await tx.query('UPDATE projection_checkpoints SET position = $2, updated_at = $3 WHERE name = $1', [
        projection.name,
        last,
        this.now(),
      ]);
      return rows.length;
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const [head] = await this.db.query<{ position: string | null }>(
      'SELECT max(position) AS position FROM events',
    );
    const headPosition = Number(head?.position ?? 0);
    const rows = await this.db.query<{ name: string; position: string; status: string; dead: string }>(
      `SELECT c.name, c.position, c.status,
              (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = c.name) AS dead
         FROM projection_checkpoints c`,
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    return this.projections.map((p) => {
      const row = byName.get(p.name);
      const position = Number(row?.position ?? 0);
      return {
        name: p.name,
        position,
        lag: Math.max(0, headPosition - position),
        status: row?.status ?? 'pending',
        deadLetters: Number(row?.dead ?? 0),
      };
    });
  }
}

/**
 * Rebuilds read models from the first event in one transaction. Readers keep seeing the old tables
 * (MVCC) until it commits; appends wait on the ledger lock so nothing slips between replay and commit.
 */
export async function rebuildProjections(
  db: Database,
  inline: readonly Projection[],
  asynchronous: readonly Projection[],
  now: () => Date,
  pageSize = 2000,
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
    let cursor = 0;
    let count = 0;
    const writes = new WriteBehind(tx);
    for (;;) {
      const rows = await tx.query(
        `SELECT position, stream_id, stream_position, type, schema_version, data, metadata, recorded_at, prev_hash, hash
           FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [cursor, pageSize],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const event = toStoredEvent(row);
        for (const projection of all) {
          if (projection.handles.includes(event.type)) await projection.apply(writes, event);
        }
      }
      count += rows.length;
      cursor = Number(rows[rows.length - 1].position);
    }
    await writes.flush();
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

const WRITE_BEHIND_STATEMENTS = 500;

/**
 * A rebuild's SqlClient that sends projection writes in bunches: a write answers no rows (no RETURNING),
 * so it is queued and answered at once with [], and queued writes go to the server as one multi-statement
 * query, in order, with their parameters inlined as escaped literals. Anything else (a read) first sends
 * what is queued, so it sees every earlier write. A failing write fails the rebuild, as it always did,
 * only a little later. Without this a rebuild is one round trip per event and projection.
 */
class WriteBehind implements SqlClient {
  private pending: string[] = [];
  private readonly raw: PoolClient | undefined;

  constructor(private readonly tx: SqlClient) {
    this.raw = (tx as SqlClient & { raw?: PoolClient }).raw;
  }

  async query<R = any>(sql: string, params: unknown[] = []): Promise<R[]> {
    if (!this.raw || !isDeferrableWrite(sql)) {
      await this.flush();
      return this.tx.query<R>(sql, params);
    }
    this.pending.push(inlineParams(sql, params));
    if (this.pending.length >= WRITE_BEHIND_STATEMENTS) await this.flush();
    return [];
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join(';\n');
    this.pending = [];
    await this.raw!.query(text);
  }
}
