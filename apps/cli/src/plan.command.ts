import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { DomainError, SYSTEM_ACTOR } from '@app/domain';
import { ApplicationModule } from '@app/application/application.module';
import { ImportPlanCommand } from '@app/application/plan/plan.commands';
import { ProblemException } from '@app/application/problem';
import { CSV_TYPE, XLSX_TYPE } from '@app/application/plan/table-file';
import { PlatformModule } from '@app/platform/platform.module';
import type { CliCommand } from './commands';

// The CommandBus reaches the same ImportPlanHandler the API's PUT /plans/:year does (ApplicationModule provides it).
@Module({ imports: [CqrsModule.forRoot(), PlatformModule, ApplicationModule] })
class PlanCliModule {}

/** `plan load FILE [--year YYYY]`: publishes a plan file straight into the ledger (deployments, docker-compose). */
export function planCommand(): CliCommand {
  return {
    name: 'plan',
    usage: 'plan load FILE [--year YYYY]',
    description: 'publish a plan (CSV or xlsx) as the system; the same plan again records nothing',
    async run(args) {
      const [verb, file, ...rest] = args;
      if (verb !== 'load' || !file) {
        process.stderr.write('usage: plan load FILE [--year YYYY]\n');
        return 2;
      }
      const yearFlag = rest.indexOf('--year');
      const year = yearFlag >= 0 ? Number(rest[yearFlag + 1]) : Number(/(\d{4})/.exec(file)?.[1]);
      if (!(year >= 2000 && year <= 2100)) {
        process.stderr.write('cannot tell the plan year: name the file like 2024.csv or pass --year 2024\n');
        return 2;
      }
      const body = await readFile(file);
      const app = await NestFactory.createApplicationContext(PlanCliModule, { logger: ['error'] });
      try {
        const type = extname(file).toLowerCase() === '.xlsx' ? XLSX_TYPE : CSV_TYPE;
        const actor = { ...SYSTEM_ACTOR, username: 'cli' };
        const result = await app.get(CommandBus).execute(new ImportPlanCommand(actor, year, body, type));
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return 0;
      } catch (error) {
        if (error instanceof DomainError || error instanceof ProblemException) {
          process.stderr.write(`${error.code}: ${error.detail}\n`);
          for (const e of error.errors ?? []) process.stderr.write(`  ${e.field}: ${e.message}\n`);
          return 1;
        }
        throw error;
      } finally {
        await app.close();
      }
    },
  };
}
