import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
import { PlatformFiguresService } from './platform-figures.service';

/** The skilled-talent platform's figures for one month, from an uploaded table. */
export class ImportPlatformFiguresCommand extends Command<
  Awaited<ReturnType<PlatformFiguresService['import']>>
> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly period: string,
    readonly file: unknown,
    readonly contentType: string | undefined,
  ) {
    super();
  }
}

@CommandHandler(ImportPlatformFiguresCommand)
export class ImportPlatformFiguresHandler implements ICommandHandler<ImportPlatformFiguresCommand> {
  constructor(private readonly platform: PlatformFiguresService) {}
  execute(c: ImportPlatformFiguresCommand) {
    return this.platform.import(c.actor, c.year, c.period, c.file, c.contentType);
  }
}
