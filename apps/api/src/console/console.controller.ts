import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { ProblemException } from '@app/application/problem';
import { Allow, ANY_ROLE, Public } from '../auth/access';
import { type ConsoleAsset, loadAssets } from './console-assets';
import { consoleContext } from './console-context';
import { GUARDED, ProblemResponses } from '../http/problem-responses';

/** The web console: one page at `/` and its scripts and styles under `/console/`, same origin as the API. */
@ApiTags('console')
@Controller()
export class ConsoleController {
  private readonly assets = loadAssets();

  constructor(
    private readonly clock: Clock,
    private readonly db: Database,
  ) {}

  @Public()
  @Get()
  @ApiExcludeEndpoint()
  index(@Res() res: Response) {
    this.send(res, this.assets.get('index.html')!, 'no-cache');
  }

  @Public()
  @Get('console/*path')
  @ApiExcludeEndpoint()
  asset(@Param('path') path: string | string[], @Res() res: Response) {
    const name = Array.isArray(path) ? path.join('/') : path;
    const asset = this.assets.get(name);
    if (!asset) throw new ProblemException('NOT_FOUND', `控制台文件 ${name} 不存在`);
    // Revalidated every time: a console that is redeployed must never run yesterday's script with today's API.
    this.send(res, asset, 'no-cache');
  }

  /**
   * The server's idea of now (it honours FAKE_NOW and a test's clock), so the console opens on the
   * month the API considers current, not the month of the browser's clock; and the year it opens on,
   * which is the latest year with a published plan when the current year has none.
   */
  @ApiBearerAuth()
  @Allow(ANY_ROLE)
  @ApiOperation({ summary: '控制台打开时的年度与月份' })
  @ProblemResponses(...GUARDED)
  @Get('api/v1/console/context')
  async context() {
    const now = this.clock.now();
    const rows = await this.db.query<{ year: number; closed: boolean }>(
      'SELECT year, closed FROM plans WHERE published_at <= $1',
      [now],
    );
    return consoleContext(now, rows);
  }

  private send(res: Response, asset: ConsoleAsset, cacheControl: string) {
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', cacheControl);
    res.status(200).send(asset.body);
  }
}
