import { Injectable } from '@nestjs/common';
import { Database } from '@app/platform/database';
import { ProblemException } from '../problem';
import { ASYNC_PROJECTIONS } from './registry';

/** How long a read waits for the read models to reach the position the caller asked for (API.md v1.1). */
export const MIN_POSITION_WAIT_MS = 5000;
const POLL_MS = 50;

/**
 * Read your own writes: a caller that passes `minPosition` (the X-Ledger-Position of its last command)
 * gets an answer that reflects every event up to it. Inline read models are written in the append's
 * transaction, so they are there once the ledger holds the position; async ones (built by the worker)
 * are there once every async projection's checkpoint has passed it.
 */
@Injectable()
export class ReadModelFreshness {
  constructor(private readonly db: Database) {}

  /** Resolves once the read models reflect `minPosition`; 503 READ_MODEL_BEHIND after the wait. */
  async atLeast(minPosition: number | undefined, wait = { asyncModels: true }): Promise<void> {
    if (minPosition === undefined || minPosition <= 0) return;
    const names = wait.asyncModels ? ASYNC_PROJECTIONS.map((p) => p.name) : [];
    const deadline = performance.now() + MIN_POSITION_WAIT_MS;
    for (;;) {
      if ((await this.reached(names)) >= minPosition) return;
      if (performance.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new ProblemException(
      'READ_MODEL_BEHIND',
      `统计数据尚未更新到第 ${minPosition} 条记录，请稍后再试`,
      undefined,
      503,
    );
  }

  /** The position every named read model (and the ledger itself) has reached. */
  private async reached(projections: string[]): Promise<number> {
    const [row] = await this.db.query<{ head: string; slowest: string | null }>(
      `SELECT (SELECT coalesce(max(position), 0) FROM events) AS head,
              (SELECT min(coalesce(c.position, 0)) FROM unnest($1::text[]) AS n
                 LEFT JOIN projection_checkpoints c ON c.name = n) AS slowest`,
      [projections],
    );
    const head = Number(row.head);
    return row.slowest === null ? head : Math.min(head, Number(row.slowest));
  }
}
