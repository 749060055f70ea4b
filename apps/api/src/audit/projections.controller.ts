import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadModelReplay } from '@app/application/audit/read-model-replay.service';
import { Allow, role } from '../auth/access';
import { IgnoresBody } from '../http/content-type';
import { GUARDED, ProblemResponses, WRITE } from '../http/problem-responses';

/** Read models are disposable: they can always be rebuilt from the log, and each tells how far behind it is. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/admin/projections')
export class ProjectionsController {
  constructor(private readonly replay: ReadModelReplay) {}

  @ProblemResponses(...GUARDED)
  @Get()
  @Allow(role('province-admin', 'auditor'))
  @ApiOperation({ summary: '各读模型的位置与滞后；随写入同步更新的读模型 status 为 inline' })
  status() {
    return this.replay.status();
  }

  /** Synchronous on purpose: the caller learns when it is done and how long it took; reads go on meanwhile. */
  @ProblemResponses(...WRITE)
  @Post('rebuild')
  @HttpCode(202)
  @IgnoresBody()
  @Allow(role('province-admin'))
  @ApiOperation({ summary: '从第一条事件起重建全部读模型' })
  rebuild() {
    return this.replay.rebuild();
  }
}
