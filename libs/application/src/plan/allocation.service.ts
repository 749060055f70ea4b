import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type AllocatedMetric,
  type AllocationCommand,
  allocationDecider,
  allocationStreamId,
  allocationView,
  DomainError,
  ownEntry,
  type Share,
} from '@app/domain';
import { CommandExecutor } from '../command-executor';
import { UnitDirectory } from '../units/unit-directory';
import { PlanService } from './plan.service';

export type AllocationRequest =
  | { type: 'SetSchoolShare'; data: { schoolCode: string; share: Share } }
  | { type: 'PublishAllocation'; data: Record<string, never> }
  | {
      type: 'TransferQuota';
      data: { from: string; to: string; metric: AllocatedMetric; amount: number; reason: string };
    };

/** A region's split of its task among its city-secondary schools (分解下达). */
@Injectable()
export class AllocationService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly plans: PlanService,
    private readonly units: UnitDirectory,
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
    const regionQuota = await this.regionQuota(year, regionCode);
    if (request.type === 'SetSchoolShare') await this.requireSchoolOf(regionCode, request.data.schoolCode);
    if (request.type === 'TransferQuota') {
      await this.requireSchoolOf(regionCode, request.data.from);
      await this.requireSchoolOf(regionCode, request.data.to);
    }
    const result = await this.executor.execute({
      streamId: allocationStreamId(year, regionCode),
      decider: allocationDecider,
      actor,
      expectedVersion,
      command: (now) =>
        ({
          type: request.type,
          data: { ...request.data, regionQuota },
          at: now.toISOString(),
          actor,
        }) as AllocationCommand,
    });
    return this.view(regionCode, regionQuota, result.state, result.version);
  }

  private async view(
    regionCode: string,
    regionQuota: Parameters<typeof allocationView>[1],
    state: any,
    version: number,
  ) {
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

  private async regionQuota(year: number, regionCode: string, asOf?: Date) {
    const { plan } = await this.plans.load(year, asOf);
    const unit = ownEntry(plan.units, regionCode);
    if (!unit || unit.kind !== 'region')
      throw new DomainError('NOT_FOUND', `${year} 年度计划中没有地区 ${regionCode}`);
    return unit.quota;
  }

  private async requireSchoolOf(regionCode: string, schoolCode: string) {
    const school = await this.units.find(schoolCode);
    if (!school || school.kind !== 'city-secondary' || school.parentCode !== regionCode) {
      throw new DomainError('NOT_FOUND', `学校 ${schoolCode} 不是地区 ${regionCode} 登记的所属中职学校`);
    }
  }
}
