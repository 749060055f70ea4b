import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { type Actor, SCAN_CONTENT_TYPES } from '@app/domain';
import { ProblemException } from '@app/application/problem';
import { UploadScanCommand } from '@app/application/scans/scans.commands';
import { ScansService } from '@app/application/scans/scans.service';
import { Allow, ownUnit, REPORT_READERS } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { Consumes } from '../http/content-type';
import { PeriodPipe, UnitCodePipe } from '../http/params';
import { Versioned } from '../http/versioned';
import { GUARDED, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

const SHA256 = /^[0-9a-f]{64}$/;
const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/** The sealed paper form of a monthly report (签字盖章扫描件): upload it, and read it back byte for byte. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/units/:code/reports/:period/scan')
export class ScansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly scans: ScansService,
  ) {}

  /** The body is the file itself (PDF, JPEG or PNG, at most 10 MiB), after the leader signed. No If-Match. */
  @ApiOperation({ summary: '上传盖章扫描件' })
  @ProblemResponses(
    ...WRITE_BODY,
    'NOT_FOUND',
    'YEAR_CLOSED',
    'INVALID_TRANSITION',
    'SCAN_LOCKED',
    'SCAN_CONTENT_MISMATCH',
  )
  @Put()
  @HttpCode(200)
  @Allow(ownUnit('code', 'filler'))
  @Consumes(...SCAN_CONTENT_TYPES)
  @ApiConsumes(...SCAN_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async upload(
    @CurrentUser() actor: Actor,
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Headers('content-type') contentType: string,
    @Body() body: Buffer,
  ) {
    return Versioned.of(
      await this.commands.execute(new UploadScanCommand(actor, code, period, contentType ?? '', body)),
    );
  }

  /** The current scan, or with `sha256` any scan the report's history names; re-hashed before it is sent. */
  @ApiOperation({ summary: '下载盖章扫描件' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND', 'SCAN_ALTERED')
  @Get()
  @Allow(...REPORT_READERS('code'))
  @ApiQuery({ name: 'sha256', required: false })
  @ApiProduces(...SCAN_CONTENT_TYPES)
  async download(
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Res({ passthrough: true }) res: Response,
    @Query('sha256') sha256?: string,
  ) {
    if (sha256 !== undefined && !SHA256.test(sha256)) {
      throw new ProblemException('VALIDATION_FAILED', 'sha256 应为 64 位小写十六进制摘要', [
        { field: 'sha256', code: 'invalid', message: '应为 64 位小写十六进制摘要' },
      ]);
    }
    const { scan, content } = await this.scans.download(code, period, sha256);
    const filename = `${code}-${period}-scan-r${scan.revision}.${EXTENSION[scan.contentType] ?? 'bin'}`;
    res.setHeader('Content-Type', scan.contentType);
    res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
    res.setHeader('X-Content-SHA256', scan.sha256);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(content);
  }
}
