import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { PlanStepCommand, type StatedPlanCommand } from '@app/application/plan/plan.commands';
import { PlanService } from '@app/application/plan/plan.service';
import type { Actor } from '@app/domain';
import { Allow, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { YearPipe } from '../http/params';
import { IfMatch, Versioned } from '../http/versioned';
import { ReasonDto, ReportingStartDto } from './plan.dto';
import { IF_MATCH, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

/** The year's life: from which month units owe reports, closing and reopening. Province admins only. */
@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/plans/:year')
export class PlanYearController {
  constructor(
    private readonly plans: PlanService,
    private readonly commands: CommandBus,
  ) {}

  /** Moves the first month the plan's units owe a report, with a reason. */
  @ApiOperation({ summary: '调整开始报送的月份' })
  @ProblemResponses(...WRITE_BODY, ...IF_MATCH, 'PLAN_NOT_PUBLISHED', 'YEAR_CLOSED', 'REASON_REQUIRED')
  @Post('reporting-start')
  @HttpCode(200)
  @Allow(role('province-admin'))
  reportingStart(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() body: ReportingStartDto,
    @IfMatch() version: number,
  ) {
    const data = { period: body.period, reason: body.reason };
    return this.run(year, { type: 'MoveReportingStart', data, actor }, version);
  }

  /** Closes the year: every command on its plan, splits and reports is refused with 409 YEAR_CLOSED. */
  @ApiOperation({ summary: '关闭年度' })
  @ProblemResponses(...WRITE_BODY, ...IF_MATCH, 'PLAN_NOT_PUBLISHED', 'YEAR_CLOSED', 'REASON_REQUIRED')
  @Post('close')
  @HttpCode(200)
  @Allow(role('province-admin'))
  close(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() body: ReasonDto,
    @IfMatch() version: number,
  ) {
    return this.run(year, { type: 'CloseYear', data: { reason: body.reason }, actor }, version);
  }

  /** Reopens a closed year, with a reason. */
  @ApiOperation({ summary: '重新开启年度' })
  @ProblemResponses(...WRITE_BODY, ...IF_MATCH, 'PLAN_NOT_PUBLISHED', 'INVALID_TRANSITION', 'REASON_REQUIRED')
  @Post('reopen')
  @HttpCode(200)
  @Allow(role('province-admin'))
  reopen(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() body: ReasonDto,
    @IfMatch() version: number,
  ) {
    return this.run(year, { type: 'ReopenYear', data: { reason: body.reason }, actor }, version);
  }

  private async run(year: number, command: StatedPlanCommand, version: number) {
    const result = await this.commands.execute(new PlanStepCommand(year, command, version));
    return new Versioned(this.plans.view(result.plan, result.version), result.version);
  }
}
