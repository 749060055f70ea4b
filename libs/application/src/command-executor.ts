import { Injectable } from '@nestjs/common';
import { type Actor, type Decider, type DomainEvent, fold } from '@app/domain';
import {
  applyInline,
  EventStore,
  VersionConflictError,
  type SqlClient,
  type StoredEvent,
} from '@app/event-store';
import { Clock } from '@app/platform/clock';
import { currentContext } from './request-context';
import { INLINE_PROJECTIONS } from './read-models/registry';
import { claimIdempotencyKey } from './idempotency';
import { FoldCache } from './fold-cache';

export interface Execution<C, S, E extends DomainEvent> {
  streamId: string;
  decider: Decider<C, S, E>;
  /** Builds the command once the stream is loaded, with the instant every rule is judged at. */
  command: (now: Date, state: S) => C;
  actor: Actor;
  /** From If-Match: the version the caller last saw. Omitted only for commands the system issues. */
  expectedVersion?: number;
  /** Extra work in the append transaction (e.g. storing a secret next to the event that needs it). */
  alsoInTransaction?: (tx: SqlClient, events: StoredEvent[]) => Promise<void>;
}

export interface Executed<S> {
  state: S;
  version: number;
  events: StoredEvent[];
}

/**
 * The one way a command becomes events: load the stream, fold it, decide with the clock's instant and
 * the actor, append at the loaded version. Inline read models and the idempotency record are written
 * in the append's own transaction, so either all of it happens or none of it.
 */
@Injectable()
export class CommandExecutor {
  private readonly folds = new FoldCache();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async load<S, E extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<unknown, S, E>, 'initialState' | 'evolve'>,
    options: { asOf?: Date; toVersion?: number } = {},
  ): Promise<{ state: S; version: number; events: StoredEvent[] }> {
    const events = await this.store.readStream(streamId, options);
    const state = fold(decider, events as unknown as E[]);
    return { state, version: events.length ? events[events.length - 1].streamPosition : 0, events };
  }

  async execute<C, S, E extends DomainEvent>(x: Execution<C, S, E>): Promise<Executed<S>> {
    // When the caller's If-Match names the state this process already folded, nothing needs reading: the
    // append checks that version under the ledger lock, and a stream that moved meanwhile is a conflict.
    const cached = x.expectedVersion === undefined ? undefined : this.folds.get<S>(x.decider, x.streamId);
    const { state, version } =
      cached && cached.version === x.expectedVersion ? cached : await this.load<S, E>(x.streamId, x.decider);
    if (!cached || cached.version !== version) this.folds.set(x.decider, x.streamId, { version, state });
    if (x.expectedVersion !== undefined && x.expectedVersion !== version) {
      throw new VersionConflictError(x.streamId, x.expectedVersion, version);
    }
    const now = this.clock.now();
    const decided = x.decider.decide(x.command(now, state), state);
    if (decided.length === 0) return { state, version, events: [] };
    const context = currentContext();
    const result = await this.store.append(
      x.streamId,
      decided.map((e) => ({ type: e.type, data: e.data })),
      {
        expectedVersion: version,
        recordedAt: now,
        metadata: {
          actor: {
            userId: x.actor.userId,
            username: x.actor.username,
            role: x.actor.role,
            unitCode: x.actor.unitCode,
          },
          requestId: context?.requestId,
          correlationId: context?.correlationId,
          causationId: context?.requestId,
          ...(context?.clientRequestId ? { clientRequestId: context.clientRequestId } : {}),
        },
        inTransaction: async (tx, stored) => {
          if (context?.idempotency) await claimIdempotencyKey(tx, context.idempotency, now);
          await applyInline(INLINE_PROJECTIONS, tx, stored);
          if (x.alsoInTransaction) await x.alsoInTransaction(tx, stored);
        },
      },
    );
    if (context && result.events.length > 0) {
      context.ledgerPosition = Math.max(
        context.ledgerPosition ?? 0,
        result.events[result.events.length - 1].position,
      );
    }
    // Folded from the stored events (with their recorded time), exactly as the next load would fold them.
    const next = (result.events as unknown as E[]).reduce((s, e) => x.decider.evolve(s, e), state);
    this.folds.set(x.decider, x.streamId, { version: result.version, state: next });
    return { state: next, version: result.version, events: result.events };
  }
}
