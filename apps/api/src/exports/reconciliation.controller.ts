import { Body, Controller, Get, Headers, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { ImportPlatformFiguresCommand } from '@app/application/exports/platform.commands';
import type { Actor } from '@app/domain';
import { PlatformFiguresService } from '@app/application/exports/platform-figures.service';
import { CSV_TYPE } from '@app/application/plan/table-file';
import { Allow, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { Consumes, XLSX_TYPE } from '../http/content-type';
import { PeriodPipe, YearPipe } from '../http/params';
import { Versioned } from '../http/versioned';
import { GUARDED, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('api/v1/plans/:year')
export class ReconciliationController {
  constructor(
    private readonly platform: PlatformFiguresService,
    private readonly commands: CommandBus,
  ) {}

  /** The platform's training figures for a month (CSV `unitCode,training`, or the same table as xlsx). */
  @ApiOperation({ summary: '导入技能人才平台的月度数据' })
  @ProblemResponses(...WRITE_BODY, 'UNSUPPORTED_ENCODING', 'NOT_FOUND')
  @Put('platform-figures/:period')
  @HttpCode(200)
  @Allow(role('province-admin'))
  @Consumes(CSV_TYPE, XLSX_TYPE, 'application/octet-stream')
  @ApiConsumes(CSV_TYPE, XLSX_TYPE)
  @ApiBody({ schema: { type: 'string', example: 'unitCode,training\nU01,620\n' } })
  async importFigures(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Param('period', PeriodPipe) period: string,
    @Body() body: Buffer,
    @Headers('content-type') contentType: string,
  ) {
    const result = await this.commands.execute(
      new ImportPlatformFiguresCommand(actor, year, period, body, contentType),
    );
    return Versioned.of(result);
  }

  /** Reported (official) training against the platform, per unit, with the difference. */
  @ApiOperation({ summary: '填报数与平台数比对' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('reconciliation')
  @Allow(role('province-admin', 'auditor'))
  @ApiQuery({ name: 'period', required: true, example: '2024-03' })
  reconciliation(@Param('year', YearPipe) year: number, @Query('period', PeriodPipe) period: string) {
    return this.platform.reconciliation(year, period);
  }
}
