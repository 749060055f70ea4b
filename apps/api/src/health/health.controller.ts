import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { Database } from '@app/platform/database';
import { REDIS } from '@app/platform/platform.module';
import { Public } from '../auth/access';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** 200 when PostgreSQL and Redis both answer; 503 naming the part that does not. */
  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const [db, redis] = await Promise.all([
      within(2000, this.db.query('SELECT 1')).then(
        () => 'up',
        () => 'down',
      ),
      within(1000, this.redis.ping()).then(
        () => 'up',
        () => 'down',
      ),
    ]);
    const ok = db === 'up' && redis === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', db, redis };
  }
}
