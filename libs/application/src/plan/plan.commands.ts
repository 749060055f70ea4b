import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type Actor,
  type AdjustQuota,
  allocatedOf,
  allocationDecider,
  allocationStreamId,
  type ChangePlanSettings,
  type CloseYear,
  DomainError,
  type MoveReportingStart,
  type PlanCommand,
  planDecider,
  planStreamId,
  type ReopenYear,
  validatePlanRows,
} from '@app/domain';
import { Database } from '@app/platform/database';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import type { Stated } from '../stated';
import { AllocationStepHandler } from './allocation.commands';
import type { PublishedPlan } from './plan.service';
import { readTable } from './table-file';

/** What publishing answers: the plan's version, how many units it names and its totals. */
type PlanPublished = { year: number; version: number; units: number; totals: PublishedPlan['totals'] };

/** Publish the year's plan from an uploaded table (CSV, GBK CSV or xlsx); the handler reads the units from it. */
export class ImportPlanCommand extends Command<PlanPublished> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly file: unknown,
    readonly contentType: string | undefined,
    readonly reportingFrom?: string,
  ) {
    super();
  }
}

/**
 * Publishing a plan. Every bad cell is reported at once and nothing is recorded; the same table again
 * (whatever its encoding or format) records nothing.
 */
@CommandHandler(ImportPlanCommand)
export class ImportPlanHandler implements ICommandHandler<ImportPlanCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly db: Database,
  ) {}

  async execute({ actor, year, file, contentType, reportingFrom }: ImportPlanCommand) {
    const table = await readTable(file, contentType);
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
}

/** The changes to a published plan a person sends; `AdjustQuota` gets what the region already split. */
export type StatedPlanCommand =
  | Stated<AdjustQuota, 'allocated'>
  | Stated<ChangePlanSettings>
  | Stated<MoveReportingStart>
  | Stated<CloseYear>
  | Stated<ReopenYear>;

/** One change to a year's published plan, with the plan version the caller last saw (If-Match). */
export class PlanStepCommand extends Command<{ plan: PublishedPlan; version: number }> {
  constructor(
    readonly year: number,
    readonly command: StatedPlanCommand,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

/**
 * A change to the published plan: a unit's task (which may not drop below what its region already split),
 * the year's settings, the reporting start, closing and reopening the year.
 */
@CommandHandler(PlanStepCommand)
export class PlanStepHandler implements ICommandHandler<PlanStepCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ year, command, expectedVersion }: PlanStepCommand) {
    const allocated =
      command.type === 'AdjustQuota' ? await this.allocated(year, command.data.unitCode) : null;
    const result = await this.executor.execute({
      streamId: planStreamId(year),
      decider: planDecider,
      actor: command.actor,
      expectedVersion,
      command: (now): PlanCommand => {
        const at = now.toISOString();
        return command.type === 'AdjustQuota'
          ? { ...command, at, data: { ...command.data, allocated } }
          : { ...command, at };
      },
    });
    if (result.state.status !== 'published')
      throw new DomainError('PLAN_NOT_PUBLISHED', `${year} 年度计划尚未发布`);
    return { plan: result.state, version: result.version };
  }

  /** What the unit (a region) has already split among its schools; null when it has no split. */
  private async allocated(year: number, unitCode: string) {
    const allocation = await this.executor.load(allocationStreamId(year, unitCode), allocationDecider);
    return allocation.version > 0 ? allocatedOf(allocation.state) : null;
  }
}

export const PLAN_HANDLERS = [ImportPlanHandler, PlanStepHandler, AllocationStepHandler];
