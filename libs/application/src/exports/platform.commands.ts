import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Actor, platformDecider, platformStreamId, validatePlatformRows } from '@app/domain';
import { CommandExecutor } from '../command-executor';
import { readTable } from '../plan/table-file';
import { ProblemException } from '../problem';
import { PlatformFiguresService } from './platform-figures.service';

type FiguresImported = {
  body: { year: number; period: string; version: number; units: number };
  version: number;
};

/**
 * The skilled-talent platform's figures for one month, from an uploaded table: the file is the request
 * (the ImportPlatformFigures command is read from its rows), so it travels as it came.
 */
export class ImportPlatformFiguresCommand extends Command<FiguresImported> {
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

/**
 * Importing a month of platform figures: the month must lie in a published plan, every row name a unit of
 * it (or a registered school), and every bad cell is reported at once with nothing recorded. The same
 * figures again (whatever the file's format) record nothing.
 */
@CommandHandler(ImportPlatformFiguresCommand)
export class ImportPlatformFiguresHandler implements ICommandHandler<ImportPlatformFiguresCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly platform: PlatformFiguresService,
  ) {}

  async execute({ actor, year, period, file, contentType }: ImportPlatformFiguresCommand) {
    await this.platform.requirePeriodOfPlan(year, period);
    const table = await readTable(file, contentType);
    const { figures, errors } = validatePlatformRows(
      table.header,
      table.rows,
      new Set(await this.platform.unitCodes(year)),
    );
    if (errors.length > 0) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `平台数据文件有 ${errors.length} 处错误，未导入任何数据`,
        errors,
      );
    }
    const fileHash = createHash('sha256').update(canonicalize(figures)!).digest('hex');
    const result = await this.executor.execute({
      streamId: platformStreamId(year, period),
      decider: platformDecider,
      actor,
      command: (now) => ({
        type: 'ImportPlatformFigures' as const,
        data: { period, fileHash, figures },
        at: now.toISOString(),
        actor,
      }),
    });
    return {
      body: { year, period, version: result.version, units: figures.length },
      version: result.version,
    };
  }
}
