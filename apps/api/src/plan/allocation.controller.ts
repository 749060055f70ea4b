import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import {
  AllocationStepCommand,
  type StatedAllocationCommand,
} from '@app/application/plan/allocation.commands';
import type { Actor } from '@app/domain';
import { AllocationService } from '@app/application/plan/allocation.service';
import { Allow, ownUnit, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { IgnoresBody } from '../http/content-type';
import { AsOfPipe, UnitCodePipe, YearPipe } from '../http/params';
import { IfMatch, Versioned } from '../http/versioned';
import { ShareDto, TransferDto } from './plan.dto';
import { GUARDED, IF_MATCH, ProblemResponses, WRITE, WRITE_BODY } from '../http/problem-responses';

/** Any change to a split: the region or school not in the plan, the plan not published, the year closed. */
const SPLIT = [...IF_MATCH, 'NOT_FOUND', 'PLAN_NOT_PUBLISHED', 'YEAR_CLOSED'] as const;

/** A region's split of its task among its schools. Callers: that region's operator, or a province admin. */
@ApiTags('allocation')
@ApiBearerAuth()
@Controller('api/v1/plans/:year/regions/:code/allocation')
export class AllocationController {
  constructor(
    private readonly allocations: AllocationService,
    private readonly commands: CommandBus,
  ) {}

  @ApiOperation({ summary: '地区的任务分解' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND', 'PLAN_NOT_PUBLISHED')
  @Get()
  @Allow(role('province-admin', 'auditor'), ownUnit('code', 'region-operator'))
  @ApiQuery({ name: 'asOf', required: false })
  async get(
    @Param('year', YearPipe) year: number,
    @Param('code', UnitCodePipe) code: string,
    @Query('asOf', AsOfPipe) asOf?: Date,
  ) {
    return Versioned.of(await this.allocations.get(year, code, asOf));
  }

  @ApiOperation({ summary: '设置一所学校的分解任务' })
  @ProblemResponses(
    ...WRITE_BODY,
    ...SPLIT,
    'ALLOCATION_PUBLISHED',
    'ALLOCATION_EXCEEDS_QUOTA',
    'SHARE_BELOW_ACHIEVED',
  )
  @Put('schools/:schoolCode')
  @HttpCode(200)
  @Allow(role('province-admin'), ownUnit('code', 'region-operator'))
  async setShare(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Param('code', UnitCodePipe) code: string,
    @Param('schoolCode', UnitCodePipe) schoolCode: string,
    @Body() share: ShareDto,
    @IfMatch() version: number,
  ) {
    const data = {
      schoolCode,
      share: { training: share.training, certified: share.certified, onePlusX: share.onePlusX },
      ...(share.reason === undefined ? {} : { reason: share.reason }),
    };
    return this.run(year, code, { type: 'SetSchoolShare', data, actor }, version);
  }

  @ApiOperation({ summary: '发布任务分解' })
  @ProblemResponses(...WRITE, ...SPLIT, 'ALLOCATION_PUBLISHED', 'ALLOCATION_INCOMPLETE')
  @Post('publish')
  @HttpCode(200)
  @IgnoresBody()
  @Allow(role('province-admin'), ownUnit('code', 'region-operator'))
  async publish(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Param('code', UnitCodePipe) code: string,
    @IfMatch() version: number,
  ) {
    return this.run(year, code, { type: 'PublishAllocation', data: {}, actor }, version);
  }

  @ApiOperation({ summary: '在学校之间调剂任务' })
  @ProblemResponses(
    ...WRITE_BODY,
    ...SPLIT,
    'REASON_REQUIRED',
    'ALLOCATION_NOT_PUBLISHED',
    'TRANSFER_EXCEEDS_SHARE',
    'SHARE_BELOW_ACHIEVED',
  )
  @Post('transfers')
  @HttpCode(200)
  @Allow(role('province-admin'), ownUnit('code', 'region-operator'))
  async transfer(
    @CurrentUser() actor: Actor,
    @Param('year', YearPipe) year: number,
    @Param('code', UnitCodePipe) code: string,
    @Body() body: TransferDto,
    @IfMatch() version: number,
  ) {
    const data = {
      from: body.from,
      to: body.to,
      metric: body.metric,
      amount: body.amount,
      reason: body.reason,
    };
    return this.run(year, code, { type: 'TransferQuota', data, actor }, version);
  }

  private async run(year: number, code: string, command: StatedAllocationCommand, version: number) {
    return Versioned.of(await this.commands.execute(new AllocationStepCommand(year, code, command, version)));
  }
}
