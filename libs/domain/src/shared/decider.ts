import type { Actor } from './actor';

/** An event as the domain sees it: a stable past-tense type name and plain JSON data (no Dates, no classes). */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

/**
 * Emmett-style decider. `decide` is pure and throws DomainError on a broken rule; it returns [] when
 * there is nothing to do (idempotent commands). `evolve` is total and never throws.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export const fold = <S, E extends DomainEvent>(
  d: Pick<Decider<unknown, S, E>, 'initialState' | 'evolve'>,
  events: E[],
): S => events.reduce(d.evolve, d.initialState());

/**
 * A command as the domain receives it: what was asked (`data`), when (`at`, an ISO instant taken by the
 * handler, never by the domain) and by whom. Authorisation is the caller's job; the actor is recorded.
 */
export interface Command<T extends string = string, D = unknown> {
  type: T;
  data: D;
  at: string;
  actor: Actor;
}
