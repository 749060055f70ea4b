import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { ReportHistory } from '@app/application/reports/report-history';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  GetReportQuery,
  ReportStepCommand,
  type StatedReportCommand,
} from '@app/application/reports/reports.commands';
import { Allow, ownUnit, REPORT_READERS, reviewerOf } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { AsOfPipe, PeriodPipe, UnitCodePipe } from '../http/params';
import { IfMatch, Versioned } from '../http/versioned';
import { AmendmentDto, DiffQuery, EnterFiguresDto, RefusalDto, ReviewDto, SignatureDto } from './reports.dto';
import { GUARDED, IF_MATCH, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

const READERS = REPORT_READERS('code');
/** Any step on a report: its unit or month not in the plan, the year closed, a step the state does not allow. */
const STEP = [...WRITE_BODY, ...IF_MATCH, 'NOT_FOUND', 'YEAR_CLOSED', 'INVALID_TRANSITION'] as const;

const figuresOf = (f: { training: number; certified: number; advanced: number; onePlusX: number }) => ({
  training: f.training,
  certified: f.certified,
  advanced: f.advanced,
  onePlusX: f.onePlusX,
});

/** One unit's monthly report (月报) and its approval chain: enter, sign twice, review, amend. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/units/:code/reports/:period')
export class ReportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly history: ReportHistory,
  ) {}

  /** The report now, or as it stood at `asOf` (folded from the events recorded up to then). */
  @ApiOperation({ summary: '月报（可按 asOf 查看历史）' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get()
  @Allow(...READERS)
  @ApiQuery({ name: 'asOf', required: false })
  async get(
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Query('asOf', AsOfPipe) asOf?: Date,
  ) {
    return Versioned.of(await this.queries.execute(new GetReportQuery(code, period, asOf)));
  }

  /** The filler enters or changes this month's figures; any signature already given is void. */
  @ApiOperation({ summary: '填写本月数据' })
  @ProblemResponses(...STEP, 'PERIOD_NOT_OPEN', 'ADVANCED_EXCEEDS_CERTIFIED')
  @Put()
  @HttpCode(200)
  @Allow(ownUnit('code', 'filler'))
  async enter(
    @CurrentUser() actor: Actor,
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Body() body: EnterFiguresDto,
    @IfMatch() version: number,
  ) {
    const data =
      body.note === undefined
        ? { figures: figuresOf(body.figures) }
        : { figures: figuresOf(body.figures), note: body.note };
    return this.run(code, period, { type: 'EnterFigures', data, actor }, version);
  }

  /** The filler signs a draft (name, phone); the leading-group head then signs it, which submits it. */
  @ApiOperation({ summary: '签字：填报人，再由领导小组组长签字报送' })
  @ProblemResponses(...STEP, 'SAME_SIGNER')
  @Post('signatures')
  @HttpCode(200)
  @Allow(ownUnit('code', 'filler', 'leader'))
  async sign(
    @CurrentUser() actor: Actor,
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Body() body: SignatureDto,
    @IfMatch() version: number,
  ) {
    // One route, two signatures: the caller's role (filler or leader, as @Allow admits) says which line.
    const command: StatedReportCommand =
      actor.role === 'leader'
        ? { type: 'SignAsLeader', data: { name: body.name }, actor }
        : { type: 'SignAsFiller', data: { name: body.name, phone: body.phone as string }, actor };
    return this.run(code, period, command, version);
  }

  /** The leading-group head declines to sign: the report goes back to the filler with the reason. */
  @ApiOperation({ summary: '领导小组组长拒签退回' })
  @ProblemResponses(...STEP, 'REASON_REQUIRED')
  @Post('signatures/refusals')
  @HttpCode(200)
  @Allow(ownUnit('code', 'leader'))
  async refuse(
    @CurrentUser() actor: Actor,
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Body() body: RefusalDto,
    @IfMatch() version: number,
  ) {
    const data = { name: body.name, reason: body.reason };
    return this.run(code, period, { type: 'RefuseSignature', data, actor }, version);
  }

  /** The reviewer accepts a submitted report (it becomes official) or returns it with a reason. */
  @ApiOperation({ summary: '审核：通过或退回' })
  @ProblemResponses(...STEP, 'REASON_REQUIRED', 'SCAN_REQUIRED')
  @Post('review')
  @HttpCode(200)
  @Allow(reviewerOf('code'))
  async review(
    @CurrentUser() actor: Actor,
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Body() body: ReviewDto,
    @IfMatch() version: number,
  ) {
    const data =
      body.reason === undefined
        ? { decision: body.decision }
        : { decision: body.decision, reason: body.reason };
    return this.run(code, period, { type: 'ReviewReport', data, actor }, version);
  }

  /** After acceptance the filler opens a new revision with a reason; the accepted one stays official meanwhile. */
  @ApiOperation({ summary: '更正已通过的月报（新版本）' })
  @ProblemResponses(...STEP, 'REASON_REQUIRED', 'ADVANCED_EXCEEDS_CERTIFIED')
  @Post('amendments')
  @HttpCode(200)
  @Allow(ownUnit('code', 'filler'))
  async amend(
    @CurrentUser() actor: Actor,
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Body() body: AmendmentDto,
    @IfMatch() version: number,
  ) {
    const data = { figures: figuresOf(body.figures), reason: body.reason };
    return this.run(code, period, { type: 'AmendReport', data, actor }, version);
  }

  /** Every event of the report, with who (name and role) and when. */
  @ApiOperation({ summary: '月报的全部事件' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('history')
  @Allow(...READERS)
  async events(@Param('code', UnitCodePipe) code: string, @Param('period', PeriodPipe) period: string) {
    return Versioned.of(await this.history.history(code, period));
  }

  /** Figure by figure between two revisions, with who made each and why. */
  @ApiOperation({ summary: '两个版本逐项比较' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('diff')
  @Allow(...READERS)
  async diff(
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Query() query: DiffQuery,
  ) {
    return Versioned.of(await this.history.diff(code, period, query.from, query.to));
  }

  private async run(code: string, period: string, command: StatedReportCommand, version: number) {
    return Versioned.of(await this.commands.execute(new ReportStepCommand(code, period, command, version)));
  }
}
