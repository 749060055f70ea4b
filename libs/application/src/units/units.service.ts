import { Injectable } from '@nestjs/common';
import { type Actor, DomainError, unitDecider, unitStreamId } from '@app/domain';
import { VersionConflictError } from '@app/event-store';
import { CommandExecutor } from '../command-executor';
import { UnitDirectory, type UnitRecord } from './unit-directory';

/** Registration of a region's city-secondary schools (they are not in the notice; the region adds them). */
@Injectable()
export class UnitsService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly units: UnitDirectory,
  ) {}

  async registerSchool(
    actor: Actor,
    input: { code: string; name: string; parentCode: string },
  ): Promise<UnitRecord> {
    const parent = await this.units.find(input.parentCode);
    if (!parent || parent.kind !== 'region') {
      throw new DomainError('NOT_FOUND', `上级地区 ${input.parentCode} 不存在（须为计划中的省辖市或示范区）`);
    }
    if (await this.units.find(input.code))
      throw new DomainError('UNIT_CODE_TAKEN', `单位代码 ${input.code} 已被使用`);
    try {
      await this.executor.execute({
        streamId: unitStreamId(input.code),
        decider: unitDecider,
        actor,
        command: (now) => ({ type: 'RegisterSchool' as const, data: input, at: now.toISOString(), actor }),
      });
    } catch (error) {
      if (error instanceof VersionConflictError)
        throw new DomainError('UNIT_CODE_TAKEN', `单位代码 ${input.code} 已被使用`);
      throw error;
    }
    return (await this.units.find(input.code))!;
  }
}
