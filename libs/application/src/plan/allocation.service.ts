import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type AllocatedMetric,
  type AllocationCommand,
  allocationDecider,
  type AllocationState,
  allocationStreamId,
  allocationView,
  DomainError,
  ownEntry,
  type Quota,
  type Share,
  yearClosed,
  zeroShare,
} from '@app/domain';
import { Database } from '@app/platform/database';
import { CommandExecutor } from '../command-executor';
import { UnitDirectory } from '../units/unit-directory';
import { achievedOf } from './achieved';
import { PlanService } from './plan.service';

export type AllocationRequest =
  | { type: 'SetSchoolShare'; data: { schoolCode: string; share: Share; reason?: string } }
  | { type: 'PublishAllocation'; data: Record<string, never> }
  | {
      type: 'TransferQuota';
      data: { from: string; to: string; metric: AllocatedMetric; amount: number; reason: string };
    };

/** A region's split of its task among its city-secondary schools (分解下达), alive through the year. */
@Injectable()
export class AllocationService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly plans: PlanService,
    private readonly units: UnitDirectory,
    private readonly db: Database,
  ) {}

  async get(year: number, regionCode: string, asOf?: Date) {
    const regionQuota = await this.regionQuota(year, regionCode, asOf);
    const { state, version } = await this.executor.load(
      allocationStreamId(year, regionCode),
      allocationDecider,
      { asOf },
    );
    return this.view(regionCode, regionQuota, state, version);
  }

  async command(
    actor: Actor,
    year: number,
    regionCode: string,
    request: AllocationRequest,
    expectedVersion: number,
  ) {
    const regionQuota = await this.regionQuota(year, regionCode, undefined, true);
    const regionSchools = (await this.units.children(regionCode))
      .filter((u) => u.kind === 'city-secondary')
      .map((u) => u.code);
    const achieved = await this.achievedOfShrinking(year, regionSchools, request);
    const result = await this.executor.execute({
      streamId: allocationStreamId(year, regionCode),
      decider: allocationDecider,
      actor,
      expectedVersion,
      command: (now) =>
        ({
          type: request.type,
          data: { ...request.data, regionQuota, regionSchools, achieved },
          at: now.toISOString(),
          actor,
        }) as AllocationCommand,
    });
    return this.view(regionCode, regionQuota, result.state, result.version);
  }

  /** The school whose share a command may shrink: its achieved figures (none for publishing, or a stranger). */
  private async achievedOfShrinking(year: number, regionSchools: string[], request: AllocationRequest) {
    const code =
      request.type === 'SetSchoolShare'
        ? request.data.schoolCode
        : request.type === 'TransferQuota'
          ? request.data.from
          : undefined;
    if (code === undefined || !regionSchools.includes(code)) return zeroShare();
    return achievedOf(this.db, year, code);
  }

  private async view(regionCode: string, regionQuota: Quota, state: AllocationState, version: number) {
    const view = allocationView(state, regionQuota);
    const names = new Map((await this.units.children(regionCode)).map((u) => [u.code, u.name]));
    return {
      body: {
        region: regionCode,
        version,
        ...view,
        schools: view.schools.map((s) => ({
          code: s.code,
          name: names.get(s.code) ?? s.code,
          quota: s.quota,
        })),
      },
      version,
    };
  }

  private async regionQuota(year: number, regionCode: string, asOf?: Date, forCommand = false) {
    const { plan } = await this.plans.load(year, asOf);
    if (forCommand && plan.closed) throw yearClosed(year);
    const unit = ownEntry(plan.units, regionCode);
    if (!unit || unit.kind !== 'region')
      throw new DomainError('NOT_FOUND', `${year} 年度计划中没有地区 ${regionCode}`);
    return unit.quota;
  }
}
