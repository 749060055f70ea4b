import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { periodOf } from '@app/domain';
import { Clock } from '@app/platform/clock';
import { ProblemException } from '@app/application/problem';
import { Allow, ANY_ROLE, Public } from '../auth/access';
import { type ConsoleAsset, loadAssets } from './console-assets';

/** The web console: one page at `/` and its scripts and styles under `/console/`, same origin as the API. */
@ApiTags('console')
@Controller()
export class ConsoleController {
  private readonly assets = loadAssets();

  constructor(private readonly clock: Clock) {}

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
   * month the API considers current, not the month of the browser's clock.
   */
  @ApiBearerAuth()
  @Allow(ANY_ROLE)
  @Get('api/v1/console/context')
  context() {
    const now = this.clock.now();
    const period = periodOf(now);
    return { now: now.toISOString(), year: Number(period.slice(0, 4)), period };
  }

  private send(res: Response, asset: ConsoleAsset, cacheControl: string) {
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', cacheControl);
    res.status(200).send(asset.body);
  }
}
