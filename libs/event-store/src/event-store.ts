import type { PoolClient, QueryResult } from 'pg';
import type { Database, SqlClient } from '@app/platform/database';
import { VersionConflictError } from './errors';
import { chainHash, GENESIS_HASH, hashedContent, toStorableJson } from './hash';
import type { EventMetadata, ExpectedVersion, NewEvent, StoredEvent } from './types';

/** Runs inside the append's transaction once its events are written: inline projections, idempotency rows. */
export type AppendHook = (tx: SqlClient, appended: StoredEvent[]) => Promise<void>;

export interface AppendRequest {
  expectedVersion: ExpectedVersion;
  metadata: EventMetadata;
  recordedAt: Date;
  inTransaction?: AppendHook;
}

export interface AppendResult {
  /** The stream's version after this append (unchanged when there was nothing to append). */
  version: number;
  events: StoredEvent[];
}

interface Pending {
  streamId: string;
  events: NewEvent[];
  request: AppendRequest;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

type Outcomes = Map<Pending, { ok: AppendResult } | { error: unknown }>;

/** Every append in every process takes this lock, so global positions commit in order and the chain never forks. */
export const LEDGER_LOCK_KEY = 7_348_215_001;
const MAX_BATCH = 256;

const COLUMNS = `position, stream_id, stream_position, type, schema_version, data, metadata, recorded_at, prev_hash, hash`;

/**
 * Append-only store on PostgreSQL. Concurrent appends in one process are grouped into one transaction
 * (one fsync for many commands); each keeps its own expected-version check and its own savepoint, so
 * one failed check or hook fails only its own append.
 */
export class EventStore {
  private queue: Pending[] = [];
  private flushing = false;
  /** The head as this store's last commit left it; null until known, or after any failure. */
  private lastHead: { position: number; hash: string } | null = null;

  constructor(private readonly db: Database) {}

  append(streamId: string, events: NewEvent[], request: AppendRequest): Promise<AppendResult> {
    let prepared: NewEvent[];
    try {
      prepared = events.map((e) => ({
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: toStorableJson(e.data),
      }));
      request = { ...request, metadata: toStorableJson(request.metadata) as EventMetadata };
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events: prepared, request, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.flush(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    let outcomes: Outcomes = new Map();
    try {
      const optimistic = await this.flushOnKnownHead(batch);
      if (optimistic) {
        outcomes = optimistic;
      } else {
        await this.db.withClient(async (tx) => {
          try {
            const { tail, head } = await this.inLock(tx, batch, outcomes);
            await this.insertAndCommit(tx, tail);
            this.lastHead = head;
          } catch (error) {
            await tx.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        });
      }
    } catch (error) {
      this.lastHead = null;
      for (const item of batch)
        if (!outcomes.has(item) || 'ok' in outcomes.get(item)!) outcomes.set(item, { error });
    }
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if ('ok' in outcome) item.resolve(outcome.ok);
      else item.reject(outcome.error);
    }
  }

  /**
   * Opens the transaction, takes the ledger lock and reads the head and the streams' versions in one round
   * trip: the statements of one simple query run in order, each with its own snapshot, so the reads after
   * the lock see every append committed before it was granted. Fewer round trips under the lock is what
   * lets group commit keep up with many writers.
   */
  private async begin(
    tx: SqlClient & { raw: PoolClient },
    streamIds: string[],
  ): Promise<{ head: { position: string; hash: string } | undefined; versions: Map<string, number> }> {
    const ids = streamIds.map((id) => tx.raw.escapeLiteral(id)).join(', ');
    const results = (await tx.raw.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY});
       SELECT position, hash FROM events ORDER BY position DESC LIMIT 1;
       SELECT stream_id, max(stream_position) AS version FROM events WHERE stream_id IN (${ids}) GROUP BY stream_id`,
    )) as unknown as QueryResult[];
    const versions = new Map(results[3].rows.map((r) => [r.stream_id as string, Number(r.version)]));
    return { head: results[2].rows[0], versions };
  }

  /**
   * The common case in one round trip: when this store made the last commit and no append needs a hook
   * or 'any', it seals the batch on the head it remembers, taking each stream's first expected version
   * as its current one, and the insert itself checks, under the ledger lock, that the head and those
   * versions are still what was assumed. If anything differs (another process appended) nothing is
   * inserted, the empty transaction commits, and the caller runs the full path, which reads the truth.
   * Returns the outcomes, or null when the full path must run.
   */
  private async flushOnKnownHead(batch: Pending[]): Promise<Outcomes | null> {
    const known = this.lastHead;
    if (!known) return null;
    if (batch.some((p) => p.request.inTransaction || p.request.expectedVersion === 'any')) return null;
    const outcomes: Outcomes = new Map();
    const versions = new Map<string, number>();
    const assumed: { stream_id: string; version: number }[] = [];
    const events: StoredEvent[] = [];
    let position = known.position;
    let prevHash = known.hash;
    for (const item of batch) {
      const expected = item.request.expectedVersion as number;
      if (!versions.has(item.streamId)) {
        versions.set(item.streamId, expected);
        assumed.push({ stream_id: item.streamId, version: expected });
      }
      const current = versions.get(item.streamId)!;
      if (expected !== current) {
        outcomes.set(item, { error: new VersionConflictError(item.streamId, expected, current) });
        continue;
      }
      const stored = this.seal(item, current, position, prevHash);
      events.push(...stored);
      if (stored.length > 0) {
        position = stored[stored.length - 1].position;
        prevHash = stored[stored.length - 1].hash;
      }
      versions.set(item.streamId, current + stored.length);
      outcomes.set(item, { ok: { version: current + stored.length, events: stored } });
    }
    if (events.length === 0) return null;
    const inserted = await this.db.withClient(async (tx) => {
      try {
        const results = (await tx.raw.query(
          `BEGIN; SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY});
           ${insertSql(tx.raw, events)}
            WHERE (SELECT coalesce(max(position), 0) FROM events) = ${known.position}
              AND NOT EXISTS (
                SELECT 1 FROM jsonb_to_recordset(${tx.raw.escapeLiteral(JSON.stringify(assumed))}::jsonb)
                           AS a(stream_id text, version int)
                 WHERE coalesce((SELECT max(stream_position) FROM events s WHERE s.stream_id = a.stream_id), 0)
                       <> a.version);
           COMMIT`,
        )) as unknown as QueryResult[];
        return results[2].rowCount;
      } catch (error) {
        await tx.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    if (inserted !== events.length) return null;
    this.lastHead = { position, hash: prevHash };
    return outcomes;
  }

  private async inLock(
    tx: SqlClient & { raw: PoolClient },
    batch: Pending[],
    outcomes: Outcomes,
  ): Promise<{ tail: StoredEvent[]; head: { position: number; hash: string } }> {
    const { head, versions } = await this.begin(tx, [...new Set(batch.map((p) => p.streamId))]);
    let position = head ? Number(head.position) : 0;
    let prevHash = head ? head.hash : GENESIS_HASH;
    const buffered: StoredEvent[] = [];
    const single = batch.length === 1;
    // The previous append's savepoint, released in the same round trip as the next one's work.
    let release = false;

    for (const item of batch) {
      const current = versions.get(item.streamId) ?? 0;
      const expected = item.request.expectedVersion;
      if (expected !== 'any' && expected !== current) {
        outcomes.set(item, { error: new VersionConflictError(item.streamId, expected, current) });
        continue;
      }
      const stored = this.seal(item, current, position, prevHash);
      if (!item.request.inTransaction) {
        buffered.push(...stored);
      } else {
        // Hooks read the log, so everything before this append is written first. A hook may fail
        // (a unique key, a read-model rule): its savepoint keeps that failure to its own append.
        await this.insert(tx, buffered.splice(0));
        try {
          const statements = [
            ...(release ? ['RELEASE SAVEPOINT append_item'] : []),
            ...(single ? [] : ['SAVEPOINT append_item']),
            ...(stored.length > 0 ? [insertSql(tx.raw, stored)] : []),
          ];
          release = false;
          if (statements.length > 0) await tx.raw.query(statements.join(';\n'));
          await item.request.inTransaction(tx, stored);
          // COMMIT releases the last savepoint with everything else.
          release = !single;
        } catch (error) {
          if (single) throw error;
          await tx.query('ROLLBACK TO SAVEPOINT append_item');
          outcomes.set(item, { error });
          continue;
        }
      }
      if (stored.length > 0) {
        position = stored[stored.length - 1].position;
        prevHash = stored[stored.length - 1].hash;
      }
      versions.set(item.streamId, current + stored.length);
      outcomes.set(item, { ok: { version: current + stored.length, events: stored } });
    }
    return { tail: buffered, head: { position, hash: prevHash } };
  }

  /**
   * The last insert and the commit in one round trip. A simple query takes no parameters, so the rows go
   * as one escaped JSON literal; if the insert fails, PostgreSQL skips the COMMIT and the caller rolls back.
   */
  private async insertAndCommit(tx: SqlClient & { raw: PoolClient }, events: StoredEvent[]): Promise<void> {
    if (events.length === 0) {
      await tx.query('COMMIT');
      return;
    }
    await tx.raw.query(`${insertSql(tx.raw, events)}; COMMIT`);
  }

  private seal(item: Pending, version: number, position: number, prevHash: string): StoredEvent[] {
    const recordedAt = item.request.recordedAt.toISOString();
    return item.events.map((e, i) => {
      const body = {
        position: position + i + 1,
        streamId: item.streamId,
        streamPosition: version + i + 1,
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: e.data,
        metadata: item.request.metadata,
        recordedAt,
      };
      const hash = chainHash(prevHash, hashedContent(body));
      const sealed: StoredEvent = { ...body, prevHash, hash };
      prevHash = hash;
      return sealed;
    });
  }

  private async insert(tx: SqlClient, events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(
      `INSERT INTO events (${COLUMNS})
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[],
                            $8::timestamptz[], $9::text[], $10::text[])`,
      [
        events.map((e) => e.position),
        events.map((e) => e.streamId),
        events.map((e) => e.streamPosition),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
        events.map((e) => e.recordedAt),
        events.map((e) => e.prevHash),
        events.map((e) => e.hash),
      ],
    );
  }

  /** The stream's events, up to a version or up to an instant (inclusive): the stream as it stood then. */
  async readStream(
    streamId: string,
    options: { toVersion?: number; asOf?: Date; client?: SqlClient } = {},
  ): Promise<StoredEvent[]> {
    const rows = await (options.client ?? this.db).query(
      `SELECT ${COLUMNS} FROM events
        WHERE stream_id = $1
          AND ($2::int IS NULL OR stream_position <= $2)
          AND ($3::timestamptz IS NULL OR recorded_at <= $3)
        ORDER BY stream_position`,
      [streamId, options.toVersion ?? null, options.asOf ?? null],
    );
    return rows.map(toStoredEvent);
  }

  /** One page of the whole log after a global position, in order. */
  async readAll(after: number, limit: number, filter: EventFilter = {}): Promise<StoredEvent[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM events
        WHERE position > $1
          AND ($3::text IS NULL OR stream_id = $3)
          AND ($4::text[] IS NULL OR type = ANY($4))
          AND ($5::timestamptz IS NULL OR recorded_at >= $5)
          AND ($6::timestamptz IS NULL OR recorded_at < $6)
          AND ($7::text IS NULL OR stream_id LIKE $7)
          AND ($8::text IS NULL OR stream_id ~ $9 OR data->>'unitCode' = $8)
        ORDER BY position LIMIT $2`,
      [
        after,
        limit,
        filter.streamId ?? null,
        filter.types ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.streamPrefix ? `${filter.streamPrefix.replace(/[\\%_]/g, '\\$&')}%` : null,
        filter.unitCode ?? null,
        filter.unitCode ? unitStreamPattern(filter.unitCode) : null,
      ],
    );
    return rows.map(toStoredEvent);
  }

  /**
   * The whole log in order, at most two pages in memory: the next page is read while the caller works
   * through this one, so the database and the caller (verifying, hashing) work at the same time.
   */
  async *iterateAll(pageSize = 2000, after = 0): AsyncGenerator<StoredEvent> {
    let next = this.prefetch(after, pageSize);
    for (;;) {
      const page = await next;
      if (page.length === 0) return;
      next = this.prefetch(page[page.length - 1].position, pageSize);
      yield* page;
    }
  }

  private prefetch(after: number, limit: number): Promise<StoredEvent[]> {
    const page = this.readAll(after, limit);
    // A caller that stops early never awaits the page read ahead; its failure must not go unhandled.
    page.catch(() => undefined);
    return page;
  }

  async head(): Promise<{ position: number; hash: string }> {
    const [row] = await this.db.query<{ position: string; hash: string }>(
      'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
    );
    return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
  }
}

/** An INSERT of sealed events with the rows as one escaped JSON literal, for simple (multi-statement) queries. */
function insertSql(raw: PoolClient, events: StoredEvent[]): string {
  const rows = JSON.stringify(
    events.map((e) => ({
      position: e.position,
      stream_id: e.streamId,
      stream_position: e.streamPosition,
      type: e.type,
      schema_version: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      recorded_at: e.recordedAt,
      prev_hash: e.prevHash,
      hash: e.hash,
    })),
  );
  return `INSERT INTO events (${COLUMNS})
    SELECT ${COLUMNS} FROM jsonb_to_recordset(${raw.escapeLiteral(rows)}::jsonb)
      AS e(position bigint, stream_id text, stream_position int, type text, schema_version int, data jsonb,
           metadata jsonb, recorded_at timestamptz, prev_hash text, hash text)`;
}

/** Streams that belong to one unit: its monthly reports, its registration, its regional split. */
function unitStreamPattern(unitCode: string): string {
  const code = unitCode.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return `^(report-${code}-\\d{4}-\\d{2}|unit-${code}|allocation-\\d{4}-${code})$`;
}

export interface EventFilter {
  streamId?: string;
  /** Events about one unit (its streams, or data naming it, such as a plan adjustment). */
  unitCode?: string;
  streamPrefix?: string;
  types?: string[];
  from?: Date;
  to?: Date;
}

export function toStoredEvent(row: any): StoredEvent {
  return {
    position: Number(row.position),
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at).toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
