import type { Database } from '@app/platform/database';
import { type EventRow, toStoredEvent } from './event-reads';
import type { Projection, ProjectionStatus } from './projection';

/**
 * Moves async projections forward from their checkpoints. Several workers may run it at once: the
 * checkpoint row is locked for the batch, so each event is applied once. An event a projection cannot
 * apply goes to the dead-letter table with its error, and the projection goes on.
 */
export class ProjectionRunner {
  constructor(
    private readonly db: Database,
    private readonly projections: readonly Projection[],
    private readonly now: () => Date,
    private readonly batchSize = 500,
  ) {}

  /** Runs every projection until it has caught up; returns how many events were applied. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (const projection of this.projections) {
      for (;;) {
        const applied = await this.step(projection);
        total += applied;
        if (applied < this.batchSize) break;
      }
    }
    return total;
  }

  /** One batch for one projection, in one transaction with its checkpoint. */
  async step(projection: Projection): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO projection_checkpoints (name, position, status, updated_at) VALUES ($1, 0, 'running', $2)
         ON CONFLICT (name) DO NOTHING`,
        [projection.name, this.now()],
      );
      const [checkpoint] = await tx.query<{ position: string }>(
        'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
        [projection.name],
      );
      const rows = await tx.query<EventRow>(
        `SELECT position, stream_id, stream_position, type, schema_version, data, metadata, recorded_at, prev_hash, hash
           FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [Number(checkpoint.position), this.batchSize],
      );
      if (rows.length === 0) return 0;
      for (const row of rows) {
        const event = toStoredEvent(row);
        if (!projection.handles.includes(event.type)) continue;
        await tx.query('SAVEPOINT projection_event');
        try {
          await projection.apply(tx, event);
          await tx.query('RELEASE SAVEPOINT projection_event');
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT projection_event');
          await tx.query(
            `INSERT INTO projection_dead_letters (projection, position, event_type, error, recorded_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (projection, position) DO NOTHING`,
            [
              projection.name,
              event.position,
              event.type,
              String((error as Error)?.message ?? error),
              this.now(),
            ],
          );
        }
      }
      const last = Number(rows[rows.length - 1].position);
      await tx.query('UPDATE projection_checkpoints SET position = $2, updated_at = $3 WHERE name = $1', [
        projection.name,
        last,
        this.now(),
      ]);
      return rows.length;
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const [head] = await this.db.query<{ position: string | null }>(
      'SELECT max(position) AS position FROM events',
    );
    const headPosition = Number(head?.position ?? 0);
    const rows = await this.db.query<{ name: string; position: string; status: string; dead: string }>(
      `SELECT c.name, c.position, c.status,
              (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = c.name) AS dead
         FROM projection_checkpoints c`,
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    return this.projections.map((p) => {
      const row = byName.get(p.name);
      const position = Number(row?.position ?? 0);
      return {
        name: p.name,
        position,
        lag: Math.max(0, headPosition - position),
        status: row?.status ?? 'pending',
        deadLetters: Number(row?.dead ?? 0),
      };
    });
  }
}
