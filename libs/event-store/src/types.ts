export interface ActorRef {
  userId: string;
  username: string;
  role: string;
  unitCode: string;
}

/** Who did it, in answer to which request: stored with every event. */
export interface EventMetadata {
  actor: ActorRef;
  requestId?: string;
  correlationId?: string;
  causationId?: string;
  /** The caller's own X-Request-Id, never trusted as ours. */
  clientRequestId?: string;
  [extra: string]: unknown;
}

export interface NewEvent {
  type: string;
  data: unknown;
  schemaVersion?: number;
}

export interface StoredEvent<D = unknown> {
  position: number;
  streamId: string;
  streamPosition: number;
  type: string;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/**
 * A stored event read as one of the event types a reader handles (a projection's `handles`): checking
 * `type` then narrows `data` to what that type's schema wrote.
 */
export type StoredAs<E extends { type: string; data: unknown }> = StoredEvent & E;

/** A stream's version is the position of its last event in the stream; 0 while it has none. */
export type ExpectedVersion = number | 'any';
export type { SqlClient } from '@app/platform/database';
