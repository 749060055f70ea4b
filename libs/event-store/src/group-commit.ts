import type { PoolClient, QueryResult } from 'pg';
import type { Database, SqlClient } from '@app/platform/database';
import { NeedsConnectionError } from './deferred-sql';
import { VersionConflictError } from './errors';
import { type Outcome, type Pending, type SealedBatch, sealBatch, sealEvents } from './append-batch';
import { HEAD_MOVED, HEAD_SQL, LEDGER_LOCK_KEY, type LedgerHead, toHead } from './ledger-head';
import { EVENT_COLUMNS } from './event-reads';
import type { StoredEvent } from './types';

type Tx = SqlClient & { raw: PoolClient };

export interface Committed {
  outcomes: Map<Pending, Outcome>;
  head: LedgerHead;
  /** Way 1 was tried and found the ledger moved (another process appends): the caller may skip it a while. */
  headMoved?: boolean;
}

/**
 * Writes one batch of appends in one transaction under the ledger lock, by the cheapest way that is safe:
 *
 * 1. On the head this process remembers (it made the last commit): the batch is sealed before any round
 *    trip, its hooks' writes collected, and lock, head check, events, hooks' writes and COMMIT go in ONE
 *    round trip. If another process appended, `ledger_assert_head` aborts it all and way 2 runs.
 * 2. On the head read under the lock: one round trip to lock and read the head and the streams'
 *    versions, a second with events, hooks' writes and COMMIT.
 * 3. Only when a hook reads, or a hook's write fails (a taken idempotency key, a read-model rule): each
 *    append in its own savepoint on a real connection, so one failure stays with its own append.
 */
export async function commitBatch(
  db: Database,
  batch: Pending[],
  known: LedgerHead | null,
): Promise<Committed> {
  let headMoved = false;
  if (known) {
    const committed = await commitOnRememberedHead(db, batch, known);
    if (committed) return committed;
    headMoved = true;
  }
  return db.withClient(async (tx) => {
    try {
      const committed = (await commitOnReadHead(tx, batch)) ?? (await commitOneByOne(tx, batch));
      return { ...committed, headMoved };
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

async function commitOnRememberedHead(
  db: Database,
  batch: Pending[],
  known: LedgerHead,
): Promise<Committed | null> {
  if (batch.some((p) => p.request.expectedVersion === 'any')) return null;
  const sealed = await sealOrNull(batch, known, (item) => item.request.expectedVersion as number);
  if (!sealed || sealed.events.length === 0) return null;
  return db.withClient(async (tx) => {
    try {
      await tx.raw.query(
        [
          'BEGIN',
          `SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY})`,
          `SELECT ledger_assert_head(${known.position}, ${tx.raw.escapeLiteral(JSON.stringify(sealed.assumed))}::jsonb)`,
          insertSql(tx.raw, sealed.events),
          ...sealed.hookStatements,
          'COMMIT',
        ].join(';\n'),
      );
      return { outcomes: sealed.outcomes, head: sealed.head };
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      if (isStatementError(error)) return null;
      throw error;
    }
  });
}

/** Way 2; null when way 3 must run (the transaction is then rolled back, or still open when a hook reads). */
async function commitOnReadHead(tx: Tx, batch: Pending[]): Promise<Committed | null> {
  const { head, versions } = await begin(tx, batch);
  const sealed = await sealOrNull(batch, head, (item) => versions.get(item.streamId) ?? 0);
  if (!sealed) return commitOneByOne(tx, batch, { head, versions });
  try {
    const statements = [
      ...(sealed.events.length > 0 ? [insertSql(tx.raw, sealed.events)] : []),
      ...sealed.hookStatements,
      'COMMIT',
    ];
    await tx.raw.query(statements.join(';\n'));
    return { outcomes: sealed.outcomes, head: sealed.head };
  } catch (error) {
    if (!isStatementError(error)) throw error;
    await tx.query('ROLLBACK');
    return null;
  }
}

async function sealOrNull(
  batch: Pending[],
  head: LedgerHead,
  versionOf: (item: Pending) => number,
): Promise<SealedBatch | null> {
  try {
    return await sealBatch(batch, head, versionOf);
  } catch (error) {
    if (error instanceof NeedsConnectionError) return null;
    throw error;
  }
}

/**
 * Way 3: each hooked append in its own savepoint, its hook on the real connection after everything
 * before it is written. Opens its own transaction unless given the head and versions of an open one.
 */
async function commitOneByOne(
  tx: Tx,
  batch: Pending[],
  opened?: { head: LedgerHead; versions: Map<string, number> },
): Promise<Committed> {
  const { head, versions } = opened ?? (await begin(tx, batch));
  const outcomes = new Map<Pending, Outcome>();
  let { position, hash } = head;
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
    const stored = sealEvents(item, current, position, hash);
    if (!item.request.inTransaction) {
      buffered.push(...stored);
    } else {
      const statements = [
        ...(buffered.length > 0 ? [insertSql(tx.raw, buffered.splice(0))] : []),
        ...(release ? ['RELEASE SAVEPOINT append_item'] : []),
        ...(single ? [] : ['SAVEPOINT append_item']),
        ...(stored.length > 0 ? [insertSql(tx.raw, stored)] : []),
      ];
      release = false;
      try {
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
      hash = stored[stored.length - 1].hash;
    }
    versions.set(item.streamId, current + stored.length);
    outcomes.set(item, { ok: { version: current + stored.length, events: stored } });
  }
  // The last insert and the commit in one round trip; if the insert fails, PostgreSQL skips the COMMIT.
  await tx.raw.query(buffered.length > 0 ? `${insertSql(tx.raw, buffered)}; COMMIT` : 'COMMIT');
  return { outcomes, head: { position, hash } };
}

/**
 * Opens the transaction, takes the ledger lock and reads the head and the streams' versions in one round
 * trip: the statements of one simple query run in order, each with its own snapshot, so the reads after
 * the lock see every append committed before it was granted.
 */
async function begin(tx: Tx, batch: Pending[]): Promise<{ head: LedgerHead; versions: Map<string, number> }> {
  const ids = [...new Set(batch.map((p) => p.streamId))].map((id) => tx.raw.escapeLiteral(id)).join(', ');
  const results = (await tx.raw.query(
    `BEGIN; SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY});
     ${HEAD_SQL};
     SELECT stream_id, max(stream_position) AS version FROM events WHERE stream_id IN (${ids}) GROUP BY stream_id`,
  )) as unknown as [
    QueryResult,
    QueryResult,
    QueryResult<{ position: string; hash: string }>,
    QueryResult<{ stream_id: string; version: string }>,
  ];
  const versions = new Map(results[3].rows.map((r) => [r.stream_id, Number(r.version)]));
  return { head: toHead(results[2].rows[0]), versions };
}

/**
 * An error PostgreSQL raised for one statement (a constraint, bad data, the head check): the statements
 * after it, COMMIT included, did not run, so the batch can safely be written another way. Lost
 * connections and server shutdowns are not: whether their COMMIT happened is unknown.
 */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code === HEAD_MOVED || /^(21|22|23|42|P0)/.test(code));
}

/** An INSERT of sealed events with the rows as one escaped JSON literal, for simple (multi-statement) queries. */
export function insertSql(raw: PoolClient, events: StoredEvent[]): string {
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
  return `INSERT INTO events (${EVENT_COLUMNS})
    SELECT ${EVENT_COLUMNS} FROM jsonb_to_recordset(${raw.escapeLiteral(rows)}::jsonb)
      AS e(position bigint, stream_id text, stream_position int, type text, schema_version int, data jsonb,
           metadata jsonb, recorded_at timestamptz, prev_hash text, hash text)`;
}
