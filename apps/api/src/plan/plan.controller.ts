import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { ImportPlanCommand, PlanStepCommand } from '@app/application/plan/plan.commands';
import type { Actor } from '@app/domain';
import { PlanService } from '@app/application/plan/plan.service';
import { CSV_TYPE } from '@app/application/plan/table-file';
import { Allow, ANY_ROLE, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { Consumes, XLSX_TYPE } from '../http/content-type';
import { AsOfPipe, YearPipe } from '../http/params';
import { IfMatch, Versioned } from '../http/versioned';
import { AdjustmentDto } from './plan.dto';
import { GUARDED, IF_MATCH, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/plans')
export class PlanController {
  constructor(
    private readonly plans: PlanService,
    private readonly commands: CommandBus,
  ) {}

  /** Publishes the year's plan (Annex 1) from CSV or xlsx. The same table again records nothing. */
  @ApiOperation({ summary: '发布年度计划（CSV 或 xlsx）' })
  @ProblemResponses(...WRITE_BODY, 'UNSUPPORTED_ENCODING', 'PLAN_ALREADY_PUBLISHED', 'YEAR_CLOSED')
  @Put(':year')
  @HttpCode(200)
  @Allow(role('province-admin'))
  @Consumes(CSV_TYPE, XLSX_TYPE, 'application/octet-stream')
  @ApiConsumes(CSV_TYPE, XLSX_TYPE)
  @ApiBody({ schema: { type: 'string', example: 'code,name,kind,training,certified,advanced,onePlusX\n' } })
  @ApiQuery({
    name: 'reportingFrom',
    required: false,
    description: 'YYYY-MM: first month units owe a report (default: the month of publication)',
  })
  async import(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() body: Buffer,
    @Headers('content-type') contentType: string,
    @Query('reportingFrom') reportingFrom?: string,
  ) {
    const result = await this.commands.execute(
      new ImportPlanCommand(actor, year, body, contentType, reportingFrom),
    );
    return new Versioned(result, result.version);
  }

  /** The plan (every unit's task, null where not assigned), now or as it stood at `asOf`. */
  @ApiOperation({ summary: '年度计划（可按 asOf 查看历史）' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get(':year')
  @Allow(ANY_ROLE)
  @ApiQuery({ name: 'asOf', required: false })
  async get(@Param('year', YearPipe) year: number, @Query('asOf', AsOfPipe) asOf?: Date) {
    const { plan, version } = await this.plans.load(year, asOf);
    return new Versioned(this.plans.view(plan, version), version);
  }

  /** Changes one unit's task from now on, with a reason; the old task stays in history and as-of reads. */
  @ApiOperation({ summary: '调整一个单位的任务' })
  @ProblemResponses(
    ...WRITE_BODY,
    ...IF_MATCH,
    'NOT_FOUND',
    'PLAN_NOT_PUBLISHED',
    'YEAR_CLOSED',
    'REASON_REQUIRED',
    'ADVANCED_EXCEEDS_CERTIFIED',
    'ALLOCATION_EXCEEDS_QUOTA',
  )
  @Post(':year/adjustments')
  @HttpCode(200)
  @Allow(role('province-admin'))
  async adjust(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() body: AdjustmentDto,
    @IfMatch() version: number,
  ) {
    const data = { ...body, quota: { ...body.quota } };
    const result = await this.commands.execute(
      new PlanStepCommand(year, { type: 'AdjustQuota', data, actor }, version),
    );
    return new Versioned(this.plans.view(result.plan, result.version), result.version);
  }

  /** Every month's deadline: the first instant (Asia/Shanghai) at which a submission is late. */
  @ApiOperation({ summary: '各月报送截止时间' })
  @ProblemResponses(...GUARDED)
  @Get(':year/calendar')
  @Allow(ANY_ROLE)
  calendar(@Param('year', YearPipe) year: number) {
    return this.plans.calendar(year);
  }
}
