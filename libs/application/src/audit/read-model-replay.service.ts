import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { EventStore, ProjectionRunner, rebuildProjections, type ProjectionStatus } from '@app/event-store';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from '../read-models/registry';

/** PostgreSQL's codes for a transaction it aborted to break a deadlock or a serialization conflict. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/** Replays the log into every read model, and tells how far each one has come. */
@Injectable()
export class ReadModelReplay {
  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Rebuilds every read model from the first event in one transaction: readers keep the old rows until
   * it commits. A worker batch holding a projection checkpoint can deadlock with it; PostgreSQL then
   * aborts one side and the rebuild starts again.
   */
  async rebuild(): Promise<{ events: number; durationMs: number }> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const { events } = await rebuildProjections(this.db, INLINE_PROJECTIONS, ASYNC_PROJECTIONS, () =>
          this.clock.now(),
        );
        return { events, durationMs: Math.round(performance.now() - started) };
      } catch (error) {
        if (attempt >= ATTEMPTS || !RETRYABLE.has((error as { code?: string })?.code ?? '')) throw error;
      }
    }
  }

  /** Inline read models are written with the event, so they are always at the head. */
  async status(): Promise<ProjectionStatus[]> {
    const runner = new ProjectionRunner(this.db, ASYNC_PROJECTIONS, () => this.clock.now());
    const [asynchronous, head] = await Promise.all([runner.status(), this.store.head()]);
    const inline = INLINE_PROJECTIONS.map((p) => ({
      name: p.name,
      position: head.position,
      lag: 0,
      status: 'inline',
      deadLetters: 0,
    }));
    return [...inline, ...asynchronous];
  }
}
