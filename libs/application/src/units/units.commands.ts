import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, type RegisterSchool, unitDecider, unitStreamId } from '@app/domain';
import { VersionConflictError } from '@app/event-store';
import { CommandExecutor } from '../command-executor';
import type { Stated } from '../stated';
import { UnitDirectory, type UnitRecord } from './unit-directory';

/** A region registers one of its secondary vocational schools (or the province does it for the region). */
export class RegisterSchoolCommand extends Command<UnitRecord> {
  constructor(readonly command: Stated<RegisterSchool>) {
    super();
  }
}

/**
 * Registration of a region's city-secondary schools (they are not in the notice; the region adds them).
 * The parent must be a region of the directory and the code free; a race for one code is a conflict on
 * the new unit's stream, answered as the code taken.
 */
@CommandHandler(RegisterSchoolCommand)
export class RegisterSchoolHandler implements ICommandHandler<RegisterSchoolCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly units: UnitDirectory,
  ) {}

  async execute({ command }: RegisterSchoolCommand): Promise<UnitRecord> {
    const { code, parentCode } = command.data;
    const parent = await this.units.find(parentCode);
    if (!parent || parent.kind !== 'region') {
      throw new DomainError('NOT_FOUND', `上级地区 ${parentCode} 不存在（须为计划中的省辖市或示范区）`);
    }
    if (await this.units.find(code)) throw new DomainError('UNIT_CODE_TAKEN', `单位代码 ${code} 已被使用`);
    try {
      await this.executor.execute({
        streamId: unitStreamId(code),
        decider: unitDecider,
        actor: command.actor,
        command: (now) => ({ ...command, at: now.toISOString() }),
      });
    } catch (error) {
      if (error instanceof VersionConflictError)
        throw new DomainError('UNIT_CODE_TAKEN', `单位代码 ${code} 已被使用`);
      throw error;
    }
    return (await this.units.find(code))!;
  }
}
