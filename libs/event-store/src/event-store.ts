import type { Database, SqlClient } from '@app/platform/database';
import { type AppendRequest, type AppendResult, type Outcome, type Pending } from './append-batch';
import { type EventFilter, iterateAll, readAll, readStream } from './event-reads';
import { commitBatch } from './group-commit';
import { toStorableJson } from './hash';
import { type LedgerHead, readHead } from './ledger-head';
import type { EventMetadata, NewEvent, StoredEvent } from './types';

export type { AppendHook, AppendRequest, AppendResult } from './append-batch';
export { type EventFilter, type EventRow, toStoredEvent } from './event-reads';
export { LEDGER_LOCK_KEY } from './ledger-head';

const MAX_BATCH = 256;

/**
 * Append-only store on PostgreSQL. Concurrent appends in one process are grouped into one transaction
 * (one fsync for many commands), hooked ones included (see group-commit.ts); each keeps its own
 * expected-version check, and a failing check or hook fails only its own append.
 */
export class EventStore {
  private queue: Pending[] = [];
  private flushing = false;
  /** The head as this store's last commit left it; null until known, or after any failure. */
  private lastHead: LedgerHead | null = null;
  /**
   * While other processes append too, the remembered head is mostly stale and trying it first costs a
   * wasted round trip: after it failed, the next batches read the head instead (1, 2, 4 ... 32 of them).
   */
  private readHeadFor = 0;
  private readHeadBackoff = 1;

  constructor(private readonly db: Database) {}

  append(streamId: string, events: NewEvent[], request: AppendRequest): Promise<AppendResult> {
    // The executor runs at once: an event that cannot be stored rejects here, before it joins a batch.
    return new Promise<AppendResult>((resolve, reject) => {
      const prepared = events.map((e) => ({
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: toStorableJson(e.data),
      }));
      const metadata = toStorableJson(request.metadata) as EventMetadata;
      this.queue.push({ streamId, events: prepared, request: { ...request, metadata }, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  /** The position of the last event this process committed (0 before its first): a floor for its readers. */
  get lastCommittedPosition(): number {
    return this.lastHead?.position ?? 0;
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        // Let the callers the last batch answered come back first (their next append is a few promise
        // turns away): one batch of all of them, not two half batches taking turns.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.flush(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    let outcomes: Map<Pending, Outcome>;
    try {
      const remembered = this.readHeadFor > 0 ? null : this.lastHead;
      if (this.readHeadFor > 0) this.readHeadFor -= 1;
      const committed = await commitBatch(this.db, batch, remembered);
      outcomes = committed.outcomes;
      this.lastHead = committed.head;
      if (committed.headMoved) {
        this.readHeadFor = this.readHeadBackoff;
        this.readHeadBackoff = Math.min(32, this.readHeadBackoff * 2);
      } else if (remembered) {
        this.readHeadBackoff = 1;
      }
    } catch (error) {
      this.lastHead = null;
      outcomes = new Map(batch.map((item) => [item, { error }]));
    }
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if ('ok' in outcome) item.resolve(outcome.ok);
      else item.reject(outcome.error);
    }
  }

  /** The stream's events, up to a version or up to an instant (inclusive): the stream as it stood then. */
  readStream(
    streamId: string,
    options: { toVersion?: number; asOf?: Date; afterVersion?: number; client?: SqlClient } = {},
  ): Promise<StoredEvent[]> {
    return readStream(options.client ?? this.db, streamId, options);
  }

  /** One page of the whole log after a global position, in order. */
  readAll(after: number, limit: number, filter: EventFilter = {}): Promise<StoredEvent[]> {
    return readAll(this.db, after, limit, filter);
  }

  /**
   * The whole log in order, at most two pages in memory: the next page is read while the caller works
   * through this one, so the database and the caller (verifying, hashing) work at the same time.
   */
  iterateAll(pageSize = 5000, after = 0): AsyncGenerator<StoredEvent> {
    return iterateAll(this.db, pageSize, after);
  }

  head(): Promise<LedgerHead> {
    return readHead(this.db);
  }
}
