import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type Redis from 'ioredis';
import {
  backupFreshness,
  type BackupFreshness,
  lastGoodBackup,
} from '@app/application/backup/backup-records';
import { Clock } from '@app/platform/clock';
import { AppConfig } from '@app/platform/config';
import { Database } from '@app/platform/database';
import { REDIS } from '@app/platform/platform.module';
import { Public } from '../auth/access';
import { BODY_PARSER, ProblemResponses } from '../http/problem-responses';

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
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * 200 when PostgreSQL and Redis both answer; 503 naming the part that does not. With
   * BACKUP_MAX_AGE_MS set, `backup` also says whether the last good backup is recent enough. A stale
   * backup never turns the answer into 503: load balancers read this status to route requests, and an
   * old backup is no reason to stop serving. Monitoring alerts on `backup.status` instead. Without
   * Redis by design (REDIS_URL=none, the embedded mode) Redis is "none" and only the database counts.
   */
  @Public()
  @ApiOperation({ summary: '健康检查（数据库与 Redis）', security: [] })
  @ProblemResponses(...BODY_PARSER)
  @ApiResponse({ status: 200, description: '可以提供服务' })
  @ApiResponse({ status: 503, description: '数据库或 Redis 不可用（db、redis 指出哪一个）' })
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const [db, redis] = await Promise.all([
      within(2000, this.db.query('SELECT 1')).then(
        () => 'up',
        () => 'down',
      ),
      this.redis
        ? within(1000, this.redis.ping()).then(
            () => 'up',
            () => 'down',
          )
        : 'none',
    ]);
    const ok = db === 'up' && redis !== 'down';
    res.status(ok ? 200 : 503);
    const backup = await this.backup(db === 'up');
    return { status: ok ? 'ok' : 'degraded', db, redis, ...(backup ? { backup } : {}) };
  }

  private async backup(dbUp: boolean): Promise<BackupFreshness | { status: 'unknown' } | undefined> {
    const maxAgeMs = this.config.BACKUP_MAX_AGE_MS;
    if (maxAgeMs === undefined) return undefined;
    if (!dbUp) return { status: 'unknown' };
    try {
      const last = await within(2000, lastGoodBackup(this.db));
      return backupFreshness(last, this.clock.now(), maxAgeMs);
    } catch {
      return { status: 'unknown' };
    }
  }
}
