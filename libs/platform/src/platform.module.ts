import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { Clock, SystemClock } from './clock';
import { AppConfig, loadConfig, withoutRedis } from './config';
import { assertDurable, Database } from './database';

export const REDIS = Symbol('REDIS');

@Injectable()
class Shutdown implements OnApplicationShutdown {
  constructor(
    private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
    await this.db.close();
  }
}

/** Redis only wakes things up; PostgreSQL is the truth. A dead Redis must never stop a write. */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', () => undefined);
  return redis;
}

/** Configuration, the clock, the database and Redis for every app of the repo (the store: EventStoreModule). */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    {
      provide: Clock,
      useFactory: (config: AppConfig) => new SystemClock(config.FAKE_NOW),
      inject: [AppConfig],
    },
    {
      provide: Database,
      useFactory: async (config: AppConfig) => {
        const db = await Database.create({
          url: config.DATABASE_URL,
          role: config.DATABASE_ROLE,
          poolSize: config.DATABASE_POOL_SIZE,
        }).connect();
        if (config.EMBEDDED_DATABASE) {
          // PGlite writes through to the OS at each commit (a killed process loses nothing) but never fsyncs.
          new Logger('Database').warn(
            '嵌入式数据库（PGlite）：进程崩溃不丢数据，但断电或系统崩溃可能丢失最近的写入；所有连接共用一个会话，无法区分登录。仅用于试用和演示。',
          );
        } else {
          await assertDurable(db);
        }
        return db;
      },
      inject: [AppConfig],
    },
    {
      provide: REDIS,
      useFactory: (config: AppConfig) => (withoutRedis(config) ? null : createRedis(config.REDIS_URL)),
      inject: [AppConfig],
    },
    Shutdown,
  ],
  exports: [AppConfig, Clock, Database, REDIS],
})
export class PlatformModule {}
