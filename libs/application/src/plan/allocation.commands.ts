import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type AllocationCommand,
  allocationDecider,
  allocationStreamId,
  type PublishAllocation,
  type SetSchoolShare,
  type TransferQuota,
  zeroShare,
} from '@app/domain';
import { Database } from '@app/platform/database';
import { CommandExecutor } from '../command-executor';
import type { Stated } from '../stated';
import { UnitDirectory } from '../units/unit-directory';
import { achievedOf } from './achieved';
import { type AllocationAnswer, AllocationService } from './allocation.service';

type RegionContext = 'regionQuota' | 'regionSchools' | 'achieved';

/** The split commands as a region's operator states them; the handler adds what the plan and the ledger say. */
export type StatedAllocationCommand =
  | Stated<SetSchoolShare, RegionContext>
  | Stated<PublishAllocation, 'regionQuota'>
  | Stated<TransferQuota, RegionContext>;

/** One change of a region's split (a school's share, publishing, a transfer), with the version last seen. */
export class AllocationStepCommand extends Command<AllocationAnswer> {
  constructor(
    readonly year: number,
    readonly regionCode: string,
    readonly command: StatedAllocationCommand,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

/**
 * A change to a region's split (分解下达). The region's task comes from the plan (the year must be open),
 * the schools from the directory (a share only goes to one of the region's own), and the figures the
 * shrinking school already achieved from the official reports; the decider judges the rest.
 */
@CommandHandler(AllocationStepCommand)
export class AllocationStepHandler implements ICommandHandler<AllocationStepCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly allocations: AllocationService,
    private readonly units: UnitDirectory,
    private readonly db: Database,
  ) {}

  async execute({ year, regionCode, command, expectedVersion }: AllocationStepCommand) {
    const regionQuota = await this.allocations.regionQuota(year, regionCode, undefined, true);
    const regionSchools = (await this.units.children(regionCode))
      .filter((u) => u.kind === 'city-secondary')
      .map((u) => u.code);
    const achieved = await this.achievedOfShrinking(year, regionSchools, command);
    const result = await this.executor.execute({
      streamId: allocationStreamId(year, regionCode),
      decider: allocationDecider,
      actor: command.actor,
      expectedVersion,
      command: (now) =>
        ({
          ...command,
          data: { ...command.data, regionQuota, regionSchools, achieved },
          at: now.toISOString(),
        }) as AllocationCommand,
    });
    return this.allocations.view(regionCode, regionQuota, result.state, result.version);
  }

  /** The school whose share a command may shrink: its achieved figures (none for publishing, or a stranger). */
  private async achievedOfShrinking(year: number, regionSchools: string[], command: StatedAllocationCommand) {
    const code =
      command.type === 'SetSchoolShare'
        ? command.data.schoolCode
        : command.type === 'TransferQuota'
          ? command.data.from
          : undefined;
    if (code === undefined || !regionSchools.includes(code)) return zeroShare();
    return achievedOf(this.db, year, code);
  }
}
