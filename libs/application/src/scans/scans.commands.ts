import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
import { PlanService } from '../plan/plan.service';
import { ScansService } from './scans.service';

type Answer<F extends (...args: any[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/** The unit's filler uploads the signed and sealed paper form of a monthly report. */
export class UploadScanCommand extends Command<Answer<ScansService['upload']>> {
  constructor(
    readonly actor: Actor,
    readonly unitCode: string,
    readonly period: string,
    readonly contentType: string,
    readonly file: unknown,
  ) {
    super();
  }
}

@CommandHandler(UploadScanCommand)
export class UploadScanHandler implements ICommandHandler<UploadScanCommand> {
  constructor(private readonly scans: ScansService) {}
  execute(c: UploadScanCommand) {
    return this.scans.upload(c.actor, c.unitCode, c.period, c.contentType, c.file);
  }
}

/** The province sets whether the year's acceptances need the sealed form. */
export class ChangePlanSettingsCommand extends Command<Answer<PlanService['changeSettings']>> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly settings: { requireScan: boolean },
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(ChangePlanSettingsCommand)
export class ChangePlanSettingsHandler implements ICommandHandler<ChangePlanSettingsCommand> {
  constructor(private readonly plans: PlanService) {}
  execute(c: ChangePlanSettingsCommand) {
    return this.plans.changeSettings(c.actor, c.year, c.settings, c.expectedVersion);
  }
}

export const SCAN_HANDLERS = [UploadScanHandler, ChangePlanSettingsHandler];
