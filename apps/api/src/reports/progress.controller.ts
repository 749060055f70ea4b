import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProgressQuery } from '@app/application/reports/progress.query';
import { ReadModelFreshness } from '@app/application/read-models/freshness';
import { Allow, regionInQuery, role } from '../auth/access';
import { YearPipe } from '../http/params';
import { ProgressQueryDto } from './reports.dto';
import { GUARDED, ProblemResponses } from '../http/problem-responses';

/** Dashboards over official figures: the province's plan units, or one region's schools. */
@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/plans/:year')
@Allow(role('province-admin', 'auditor'), regionInQuery('region'))
export class ProgressController {
  constructor(
    private readonly progress: ProgressQuery,
    private readonly freshness: ReadModelFreshness,
  ) {}

  /** Annual task, this month, cumulative and rate per unit, with province (or region) totals. */
  @ApiOperation({ summary: '任务进度' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND', 'READ_MODEL_BEHIND')
  @Get('progress')
  async get(@Param('year', YearPipe) year: number, @Query() q: ProgressQueryDto) {
    await this.freshness.atLeast(q.minPosition);
    return this.progress.progress(year, q.period, q.region);
  }

  /** Who submitted this month on time, late, not at all (missing), or may still (pending). */
  @ApiOperation({ summary: '报送及时情况' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND', 'READ_MODEL_BEHIND')
  @Get('timeliness')
  async timeliness(@Param('year', YearPipe) year: number, @Query() q: ProgressQueryDto) {
    // Status and timeliness are written with the events (inline): the ledger reaching the position is enough.
    await this.freshness.atLeast(q.minPosition, { asyncModels: false });
    return this.progress.timeliness(year, q.period, q.region);
  }
}
