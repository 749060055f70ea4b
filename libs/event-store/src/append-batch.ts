import { VersionConflictError } from './errors';
import { DeferredWrites, mergeWrites, NeedsConnectionError, type Write } from './deferred-sql';
import { chainHash, hashedContent } from './hash';
import type { LedgerHead } from './ledger-head';
import type { EventMetadata, ExpectedVersion, NewEvent, StoredEvent } from './types';
import type { SqlClient } from '@app/platform/database';

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

export interface Pending {
  streamId: string;
  events: NewEvent[];
  request: AppendRequest;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

export type Outcome = { ok: AppendResult } | { error: unknown };

/** A batch sealed on one head: the rows to insert, the hooks' writes, and each append's outcome. */
export interface SealedBatch {
  events: StoredEvent[];
  /** The hooks' writes, in the order of the appends (single-row INSERTs of one text merged), after the events. */
  hookStatements: string[];
  outcomes: Map<Pending, Outcome>;
  /** Each stream's version as the seal assumed it before the batch (checked under the lock when guessed). */
  assumed: { stream_id: string; version: number }[];
  head: LedgerHead;
}

/**
 * Seals a batch on `head`, every append in order: checks its expected version against the version the
 * stream has at that point of the batch, chains its events, and runs its hook against DeferredWrites, so
 * its inline projection rows and idempotency claim travel with the events. A hook that throws fails only
 * its own append (its events are dropped from the chain before the next one is sealed). `versionOf` says
 * where each stream stands; on a remembered head it is the first expected version seen (checked later).
 * Throws NeedsConnectionError when a hook needs to read: the batch must then go the slow way.
 */
export async function sealBatch(
  batch: Pending[],
  head: LedgerHead,
  versionOf: (item: Pending) => number,
): Promise<SealedBatch> {
  const outcomes = new Map<Pending, Outcome>();
  const versions = new Map<string, number>();
  const assumed: SealedBatch['assumed'] = [];
  const events: StoredEvent[] = [];
  const hookWrites: Write[] = [];
  let { position, hash } = head;
  for (const item of batch) {
    if (!versions.has(item.streamId)) {
      const version = versionOf(item);
      versions.set(item.streamId, version);
      assumed.push({ stream_id: item.streamId, version });
    }
    const current = versions.get(item.streamId)!;
    const expected = item.request.expectedVersion;
    if (expected !== 'any' && expected !== current) {
      outcomes.set(item, { error: new VersionConflictError(item.streamId, expected, current) });
      continue;
    }
    const stored = sealEvents(item, current, position, hash);
    if (item.request.inTransaction) {
      const writes = new DeferredWrites();
      try {
        await item.request.inTransaction(writes, stored);
      } catch (error) {
        if (error instanceof NeedsConnectionError) throw error;
        outcomes.set(item, { error });
        continue;
      }
      hookWrites.push(...writes.writes);
    }
    events.push(...stored);
    if (stored.length > 0) {
      position = stored[stored.length - 1].position;
      hash = stored[stored.length - 1].hash;
    }
    versions.set(item.streamId, current + stored.length);
    outcomes.set(item, { ok: { version: current + stored.length, events: stored } });
  }
  return { events, hookStatements: mergeWrites(hookWrites), outcomes, assumed, head: { position, hash } };
}

/** The append's events with their global and stream positions and their place in the hash chain. */
export function sealEvents(
  item: Pending,
  version: number,
  position: number,
  prevHash: string,
): StoredEvent[] {
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
