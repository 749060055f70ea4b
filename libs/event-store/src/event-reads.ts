import type { SqlClient } from '@app/platform/database';
import type { EventMetadata, StoredEvent } from './types';

export const EVENT_COLUMNS = `position, stream_id, stream_position, type, schema_version, data, metadata, recorded_at, prev_hash, hash`;

export interface EventFilter {
  streamId?: string;
  /** Events about one unit (its streams, or data naming it, such as a plan adjustment). */
  unitCode?: string;
  streamPrefix?: string;
  types?: string[];
  from?: Date;
  to?: Date;
}

/** The stream's events, up to a version or up to an instant (inclusive): the stream as it stood then. */
export async function readStream(
  db: SqlClient,
  streamId: string,
  options: { toVersion?: number; asOf?: Date; afterVersion?: number } = {},
): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE stream_id = $1
        AND ($2::int IS NULL OR stream_position <= $2)
        AND ($3::timestamptz IS NULL OR recorded_at <= $3)
        AND stream_position > $4
      ORDER BY stream_position`,
    [streamId, options.toVersion ?? null, options.asOf ?? null, options.afterVersion ?? 0],
  );
  return rows.map(toStoredEvent);
}

/** One page of the whole log after a global position, in order. */
export async function readAll(
  db: SqlClient,
  after: number,
  limit: number,
  filter: EventFilter = {},
): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
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
export async function* iterateAll(
  db: SqlClient,
  pageSize: number,
  after: number,
): AsyncGenerator<StoredEvent> {
  const prefetch = (from: number) => {
    const page = readAll(db, from, pageSize);
    // A caller that stops early never awaits the page read ahead; its failure must not go unhandled.
    page.catch(() => undefined);
    return page;
  };
  let next = prefetch(after);
  for (;;) {
    const page = await next;
    if (page.length === 0) return;
    next = prefetch(page[page.length - 1].position);
    yield* page;
  }
}

/** Streams that belong to one unit: its monthly reports, its registration, its regional split. */
function unitStreamPattern(unitCode: string): string {
  const code = unitCode.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return `^(report-${code}-\\d{4}-\\d{2}|unit-${code}|allocation-\\d{4}-${code})$`;
}

/** An `events` row as pg answers it: bigint as text, timestamptz as a Date. */
export interface EventRow {
  position: string | number;
  stream_id: string;
  stream_position: string | number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date | string;
  prev_hash: string;
  hash: string;
}

export function toStoredEvent(row: EventRow): StoredEvent {
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
