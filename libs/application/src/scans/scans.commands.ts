import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
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

export const SCAN_HANDLERS = [UploadScanHandler];
