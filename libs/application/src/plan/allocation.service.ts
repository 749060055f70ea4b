import { Injectable } from '@nestjs/common';
import {
  allocationDecider,
  type AllocationState,
  allocationStreamId,
  allocationView,
  DomainError,
  ownEntry,
  type Quota,
  yearClosed,
} from '@app/domain';
import { CommandExecutor } from '../command-executor';
import { UnitDirectory } from '../units/unit-directory';
import { PlanService } from './plan.service';

/** A region's split among its city-secondary schools (分解下达), alive through the year. */
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

  /** The split as the API answers it (schools with their names), for a read and for a command's answer. */
  async view(regionCode: string, regionQuota: Quota, state: AllocationState, version: number) {
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

  /** The region's task in the plan (404 when the plan has no such region); a command also needs the year open. */
  async regionQuota(year: number, regionCode: string, asOf?: Date, forCommand = false) {
    const { plan } = await this.plans.load(year, asOf);
    if (forCommand && plan.closed) throw yearClosed(year);
    const unit = ownEntry(plan.units, regionCode);
    if (!unit || unit.kind !== 'region')
      throw new DomainError('NOT_FOUND', `${year} 年度计划中没有地区 ${regionCode}`);
    return unit.quota;
  }
}

/** A region's split as the API answers it, with its version for the ETag. */
export type AllocationAnswer = Awaited<ReturnType<AllocationService['view']>>;
