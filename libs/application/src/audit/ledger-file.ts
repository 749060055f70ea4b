import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { type EventRow, toStoredEvent, type StoredEvent } from '@app/event-store';
import type { Database } from '@app/platform/database';
import { MalformedLineError } from './ledger-verification';

const COLUMNS = `position, stream_id, stream_position, type, schema_version, data, metadata, recorded_at, prev_hash, hash`;

/**
 * Writes the events table to `out` as NDJSON, one StoredEvent per line, in position order. One
 * read-only snapshot (REPEATABLE READ) so the file is a prefix of the ledger as it stood when the
 * export began; one page in memory at a time, and the writer's backpressure is honoured.
 */
export async function exportLedger(db: Database, out: Writable, pageSize = 2000): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let cursor = 0;
    let written = 0;
    for (;;) {
      const rows = await tx.query<EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [cursor, pageSize],
      );
      if (rows.length === 0) break;
      const chunk = rows.map((row) => JSON.stringify(toStoredEvent(row)) + '\n').join('');
      if (!out.write(chunk)) await once(out, 'drain');
      written += rows.length;
      cursor = Number(rows[rows.length - 1].position);
    }
    await new Promise<void>((resolve, reject) => out.write('', (e) => (e ? reject(e) : resolve())));
    return written;
  });
}

/** The events of an exported ledger, line by line (constant memory); a bad line raises MalformedLineError. */
export async function* readLedgerFile(input: string | Readable): AsyncGenerator<StoredEvent> {
  const stream = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8' }) : input;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.trim() === '') continue;
      yield parseLedgerLine(line, number);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

export function parseLedgerLine(line: string, number: number): StoredEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new MalformedLineError(number, '不是合法的 JSON');
  }
  // Field by field below; only a line that passes every check is taken as an event.
  const value = parsed as { [K in keyof StoredEvent]?: unknown } | null;
  const wellFormed =
    value !== null &&
    typeof value === 'object' &&
    Number.isSafeInteger(value.position) &&
    typeof value.streamId === 'string' &&
    Number.isSafeInteger(value.streamPosition) &&
    typeof value.type === 'string' &&
    Number.isSafeInteger(value.schemaVersion) &&
    'data' in value &&
    typeof value.metadata === 'object' &&
    typeof value.recordedAt === 'string' &&
    typeof value.prevHash === 'string' &&
    typeof value.hash === 'string';
  if (!wellFormed) throw new MalformedLineError(number, '缺少事件的字段或字段类型不对');
  return value as StoredEvent;
}
