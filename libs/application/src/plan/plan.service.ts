import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  type Actor,
  allocatedOf,
  allocationDecider,
  allocationStreamId,
  calendarOf,
  DEFAULT_PLAN_SETTINGS,
  DomainError,
  type PlanCommand,
  planDecider,
  type PlanState,
  planStreamId,
  planUnits,
  type Quota,
  validatePlanRows,
} from '@app/domain';
import { Database } from '@app/platform/database';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import { readTable } from './table-file';

export type PublishedPlan = Extract<PlanState, { status: 'published' }>;

export type PlanYearRequest =
  | { type: 'MoveReportingStart'; data: { period: string; reason: string } }
  | { type: 'CloseYear'; data: { reason: string } }
  | { type: 'ReopenYear'; data: { reason: string } };

export interface PlanAdjustment {
  unitCode: string;
  quota: Partial<Quota>;
  reason: string;
}

@Injectable()
export class PlanService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly db: Database,
  ) {}

  /**
   * Publishes the year's plan from an uploaded table. Every bad cell is reported at once and nothing is
   * recorded; the same table again (whatever its encoding or format) records nothing.
   */
  async importPlan(
    actor: Actor,
    year: number,
    body: unknown,
    contentType: string | undefined,
    reportingFrom?: string,
  ) {
    const table = await readTable(body, contentType);
    const { units, errors } = validatePlanRows(table.header, table.rows);
    if (errors.length > 0) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `计划文件有 ${errors.length} 处错误，未导入任何数据`,
        errors,
      );
    }
    const taken = await this.db.query<{ code: string }>(
      `SELECT code FROM units WHERE code = ANY($1) AND kind = 'city-secondary'`,
      [units.map((u) => u.code)],
    );
    if (taken.length > 0) {
      throw new DomainError(
        'UNIT_CODE_TAKEN',
        `单位代码已被地区所属学校使用：${taken.map((t) => t.code).join('、')}`,
      );
    }
    // The plan's identity is its content, not its bytes: CSV, GBK CSV and xlsx of one table are one plan.
    const fileHash = createHash('sha256').update(canonicalize(units)!).digest('hex');
    const result = await this.executor.execute({
      streamId: planStreamId(year),
      decider: planDecider,
      actor,
      command: (now) => ({
        type: 'PublishPlan' as const,
        data:
          reportingFrom === undefined ? { year, fileHash, units } : { year, fileHash, units, reportingFrom },
        at: now.toISOString(),
        actor,
      }),
    });
    const plan = result.state as PublishedPlan;
    return { year, version: result.version, units: plan.unitCodes.length, totals: plan.totals };
  }

  /** The plan as it stands now, or as it stood at `asOf`. 404 when it was not published (then). */
  async load(year: number, asOf?: Date): Promise<{ plan: PublishedPlan; version: number }> {
    const { state, version } = await this.executor.load(planStreamId(year), planDecider, { asOf });
    if (state.status !== 'published') {
      throw new DomainError(
        'NOT_FOUND',
        asOf ? `${year} 年度计划在该时间点尚未发布` : `${year} 年度计划尚未发布`,
      );
    }
    return { plan: state, version };
  }

  view(plan: PublishedPlan, version: number) {
    return {
      year: plan.year,
      version,
      dueDay: plan.dueDay,
      reminderDays: plan.reminderDays,
      requireScan: plan.settings?.requireScan ?? DEFAULT_PLAN_SETTINGS.requireScan,
      reportingFrom: plan.reportingFrom,
      closed: plan.closed,
      totals: plan.totals,
      units: planUnits(plan).map((u) => ({
        code: u.code,
        name: u.name,
        kind: u.kind,
        parentCode: null,
        quota: u.quota,
      })),
    };
  }

  /** Changes one unit's task from now on; a region's task may not drop below what it already split. */
  async adjust(actor: Actor, year: number, input: PlanAdjustment, expectedVersion: number) {
    const allocation = await this.executor.load(allocationStreamId(year, input.unitCode), allocationDecider);
    const allocated = allocation.version > 0 ? allocatedOf(allocation.state) : null;
    const result = await this.executor.execute({
      streamId: planStreamId(year),
      decider: planDecider,
      actor,
      expectedVersion,
      command: (now) => ({
        type: 'AdjustQuota' as const,
        data: { ...input, allocated },
        at: now.toISOString(),
        actor,
      }),
    });
    if (result.state.status !== 'published')
      throw new DomainError('PLAN_NOT_PUBLISHED', `${year} 年度计划尚未发布`);
    return { plan: result.state, version: result.version };
  }

  /** Settings of the year that the plan file does not carry (`requireScan`); If-Match is the plan's version. */
  async changeSettings(
    actor: Actor,
    year: number,
    settings: { requireScan: boolean },
    expectedVersion: number,
  ) {
    const result = await this.executor.execute({
      streamId: planStreamId(year),
      decider: planDecider,
      actor,
      expectedVersion,
      command: (now) => ({
        type: 'ChangePlanSettings' as const,
        data: { requireScan: settings.requireScan },
        at: now.toISOString(),
        actor,
      }),
    });
    if (result.state.status !== 'published')
      throw new DomainError('PLAN_NOT_PUBLISHED', `${year} 年度计划尚未发布`);
    return { plan: result.state, version: result.version };
  }

  /** Moving the reporting start, closing and reopening the year: each a plan command with a reason. */
  async yearCommand(actor: Actor, year: number, request: PlanYearRequest, expectedVersion: number) {
    const result = await this.executor.execute({
      streamId: planStreamId(year),
      decider: planDecider,
      actor,
      expectedVersion,
      command: (now) => ({ ...request, at: now.toISOString(), actor }) as PlanCommand,
    });
    if (result.state.status !== 'published')
      throw new DomainError('PLAN_NOT_PUBLISHED', `${year} 年度计划尚未发布`);
    return { plan: result.state, version: result.version };
  }

  async calendar(year: number) {
    const { plan } = await this.load(year);
    return calendarOf(year, plan.dueDay);
  }
}
