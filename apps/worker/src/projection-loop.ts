import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ProjectionRunner } from '@app/event-store';
import { ASYNC_PROJECTIONS } from '@app/application/read-models/registry';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';

const IDLE_MS = 250;

/**
 * Keeps the async read models caught up with the ledger. It polls PostgreSQL rather than listening to
 * Redis, so nothing is missed when Redis is gone; several workers may run it (checkpoints are locked).
 */
@Injectable()
export class ProjectionLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionLoop.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    const runner = new ProjectionRunner(this.db, ASYNC_PROJECTIONS, () => this.clock.now());
    this.loop = (async () => {
      while (this.running) {
        try {
          const applied = await runner.catchUp();
          if (applied === 0) await sleep(IDLE_MS);
        } catch (error) {
          this.logger.warn({ msg: 'projection run failed; retrying', err: String(error) });
          await sleep(1000);
        }
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
