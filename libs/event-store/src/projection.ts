import type { SqlClient } from '@app/platform/database';
import type { StoredEvent } from './types';

/**
 * A read model built from the events table. `apply` runs inside the transaction that also moves the
 * projection's checkpoint (async) or that appends the event (inline), so a crash never half-applies.
 * A projection reads and writes only its own tables: a rebuild hands each projection a whole page in
 * turn, so it must not depend on how far another one has come.
 */
export interface Projection {
  readonly name: string;
  /** Event types it reads; others are skipped without a call. */
  readonly handles: readonly string[];
  /** Read tables it owns, emptied before a rebuild. */
  readonly tables: readonly string[];
  apply(tx: SqlClient, event: StoredEvent): Promise<void>;
  /**
   * For rebuilds: a page of the events it handles, in log order, leaving its tables exactly as `apply`
   * would event by event. A page may start or end in the middle of a stream, so rows written by an
   * earlier page are folded onto, not replaced. Without it, a rebuild calls `apply` per event.
   */
  applyBatch?(tx: SqlClient, events: readonly StoredEvent[]): Promise<void>;
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

export { ProjectionRunner } from './projection-runner';
export { rebuildProjections } from './rebuild';
