import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
import { PlanStepCommand } from '@app/application/plan/plan.commands';
import { PlanService } from '@app/application/plan/plan.service';
import { Allow, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { YearPipe } from '../http/params';
import { IfMatch, Versioned } from '../http/versioned';
import { PlanSettingsDto } from './scans.dto';
import { IF_MATCH, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/plans/:year/settings')
export class PlanSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly plans: PlanService,
  ) {}

  /** Whether acceptance needs the sealed form (`requireScan`, default false); If-Match is the plan's version. */
  @ApiOperation({ summary: '年度设置（是否必须上传扫描件）' })
  @ProblemResponses(...WRITE_BODY, ...IF_MATCH, 'PLAN_NOT_PUBLISHED', 'YEAR_CLOSED')
  @Put()
  @HttpCode(200)
  @Allow(role('province-admin'))
  async change(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Body() body: PlanSettingsDto,
    @IfMatch() version: number,
  ) {
    const result = await this.commands.execute(
      new PlanStepCommand(
        year,
        { type: 'ChangePlanSettings', data: { requireScan: body.requireScan }, actor },
        version,
      ),
    );
    return new Versioned(this.plans.view(result.plan, result.version), result.version);
  }
}
