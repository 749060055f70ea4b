import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig, withoutRedis } from '@app/platform/config';
import { DEADLINES_QUEUE } from './deadline-jobs';

/**
 * A connection of BullMQ's own: BullMQ needs `maxRetriesPerRequest: null` and blocks on some of its
 * connections, so it never shares the app's. A dead Redis only logs: it must not stop the process.
 */
export function bullConnection(url: string, logger: Logger, name: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 500, 5000),
    // A socket that never connected has nothing to flush: do not keep the process alive for it.
    disconnectTimeout: 500,
  });
  let reported = false;
  redis.on('error', (error) => {
    if (!reported) logger.warn({ msg: 'redis unavailable for BullMQ', connection: name, err: String(error) });
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  return redis;
}

/**
 * The producer side of the 'deadlines' queue: the worker adds and schedules jobs, the API shows them.
 * With REDIS_URL=none there is no queue at all (`enabled` is false) and nothing connects anywhere.
 */
@Injectable()
export class DeadlineQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineQueue.name);
  readonly enabled: boolean;
  private readonly redis?: Redis;
  private readonly bull?: Queue;

  constructor(config: AppConfig) {
    this.enabled = !withoutRedis(config);
    if (!this.enabled) return;
    this.redis = bullConnection(config.REDIS_URL, this.logger, 'deadlines-queue');
    this.bull = new Queue(DEADLINES_QUEUE, { connection: this.redis, prefix: config.BULLMQ_PREFIX });
    this.bull.on('error', (error) => this.logger.debug({ msg: 'queue error', err: String(error) }));
  }

  get connection(): Redis {
    if (!this.redis) throw new Error('no Redis: REDIS_URL=none');
    return this.redis;
  }

  get queue(): Queue {
    if (!this.bull) throw new Error('no job queue: REDIS_URL=none');
    return this.bull;
  }

  /** Whether Redis answers right now; a command sent while it does not would wait for its return. */
  get ready(): boolean {
    return this.redis?.status === 'ready';
  }

  /** Waits up to `ms` for Redis (a fresh connection needs a moment); false if it does not come. */
  whenReady(ms: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (!this.enabled) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.connection.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.connection.once('ready', onReady);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.bull || !this.redis) return;
    await closeWithin(this.ready ? 10_000 : 3000, this.bull.close());
    this.redis.disconnect();
  }
}

/** Waits for a BullMQ close at most `ms`; the caller then drops the connection regardless. */
export async function closeWithin(ms: number, closing: Promise<unknown> | undefined): Promise<void> {
  if (!closing) return;
  closing.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closing, new Promise((r) => (timer = setTimeout(r, ms)))]).catch(() => undefined);
  clearTimeout(timer);
}
