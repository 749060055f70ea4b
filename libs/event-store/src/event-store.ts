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
    const outcomes = new Map<Pending, { ok: AppendResult } | { error: unknown }>();
    try {
      await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_LOCK_KEY]);
        const [head] = await tx.query<{ position: string; hash: string }>(
          'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
        );
        let position = head ? Number(head.position) : 0;
        let prevHash = head ? head.hash : GENESIS_HASH;
        const versions = await this.currentVersions(tx, [...new Set(batch.map((p) => p.streamId))]);
        const buffered: StoredEvent[] = [];
        const single = batch.length === 1;

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
            if (!single) await tx.query('SAVEPOINT append_item');
            try {
              await this.insert(tx, stored);
              await item.request.inTransaction(tx, stored);
              if (!single) await tx.query('RELEASE SAVEPOINT append_item');
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
        await this.insert(tx, buffered);
      });
    } catch (error) {
      for (const item of batch)
        if (!outcomes.has(item) || 'ok' in outcomes.get(item)!) outcomes.set(item, { error });
    }
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if ('ok' in outcome) item.resolve(outcome.ok);
      else item.reject(outcome.error);
    }
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

  private async currentVersions(tx: SqlClient, streamIds: string[]): Promise<Map<string, number>> {
    const rows = await tx.query<{ stream_id: string; version: number }>(
      `SELECT stream_id, max(stream_position) AS version FROM events WHERE stream_id = ANY($1) GROUP BY stream_id`,
      [streamIds],
    );
    return new Map(rows.map((r) => [r.stream_id, Number(r.version)]));
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

  /** The whole log in order, one page in memory at a time. */
  async *iterateAll(pageSize = 2000, after = 0): AsyncGenerator<StoredEvent> {
    let cursor = after;
    for (;;) {
      const page = await this.readAll(cursor, pageSize);
      if (page.length === 0) return;
      yield* page;
      cursor = page[page.length - 1].position;
    }
  }

  async head(): Promise<{ position: number; hash: string }> {
    const [row] = await this.db.query<{ position: string; hash: string }>(
      'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
    );
    return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
  }
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
