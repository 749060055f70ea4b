import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadlineSweep } from '@app/application/deadlines/deadline-sweep.service';
import { RemindersQuery } from '@app/application/deadlines/reminders.query';
import { Allow, role } from '../auth/access';
import { IgnoresBody } from '../http/content-type';
import { RemindersQueryDto } from './deadlines.dto';
import { GUARDED, ProblemResponses, WRITE } from '../http/problem-responses';

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('api/v1/admin')
export class DeadlinesController {
  constructor(
    private readonly sweep: DeadlineSweep,
    private readonly reminders: RemindersQuery,
  ) {}

  /**
   * Runs the sweep here and now rather than queueing it: it is idempotent and derived from
   * PostgreSQL, so it works while Redis is down, and the caller sees what it recorded.
   */
  @ApiOperation({ summary: '立即执行截止检查' })
  @ProblemResponses(...WRITE)
  @Post('deadline-sweeps')
  @HttpCode(202)
  @IgnoresBody()
  @Allow(role('province-admin'))
  async runSweep() {
    return this.sweep.run({ deadlinePassed: true });
  }

  /** Who was reminded (or sent a region digest), when, and through which channel. */
  @ApiOperation({ summary: '提醒记录' })
  @ProblemResponses(...GUARDED)
  @Get('reminders')
  @Allow(role('province-admin', 'auditor'))
  async list(@Query() q: RemindersQueryDto) {
    const reminders = await this.reminders.list({ period: q.period, unitCode: q.unit, kind: q.kind });
    return { period: q.period ?? null, reminders };
  }
}
