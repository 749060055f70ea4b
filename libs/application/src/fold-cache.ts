export interface Folded<S> {
  version: number;
  state: S;
}

/**
 * Streams' folded states as this process last saw them, per decider. Events never change, so the state at
 * a version stays true for good; what may be missing is events appended since (by another process). A
 * command whose If-Match names the cached version therefore reads nothing: the append checks that version
 * under the ledger lock, and a stream that moved meanwhile answers a version conflict, as a stale If-Match
 * always does. Bounded (least recently used streams go first); states are shared, so they are never
 * mutated (evolve is pure).
 */
export class FoldCache {
  /** Stream → decider → folded state; Map order is the order of last use. */
  private readonly streams = new Map<string, Map<object, Folded<unknown>>>();

  constructor(private readonly capacity = 20_000) {}

  get<S>(decider: object, streamId: string): Folded<S> | undefined {
    const byDecider = this.streams.get(streamId);
    const folded = byDecider?.get(decider);
    if (!folded) return undefined;
    this.streams.delete(streamId);
    this.streams.set(streamId, byDecider!);
    return folded as Folded<S>;
  }

  set(decider: object, streamId: string, folded: Folded<unknown>): void {
    const byDecider = this.streams.get(streamId) ?? new Map<object, Folded<unknown>>();
    const previous = byDecider.get(decider);
    // An older state never replaces a newer one (two commands on one stream may finish out of order).
    if (previous && previous.version > folded.version) return;
    byDecider.set(decider, folded);
    this.streams.delete(streamId);
    this.streams.set(streamId, byDecider);
    if (this.streams.size > this.capacity) this.streams.delete(this.streams.keys().next().value!);
  }
}
