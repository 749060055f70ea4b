import { Module } from '@nestjs/common';
import { ProgressExport } from '@app/application/exports/progress-export.service';
import { ReportsCoreModule } from '@app/application/reports/reports-core.module';
import { ExportsController } from './exports.controller';
import { ReconciliationController } from './reconciliation.controller';

/** Workbooks and printable forms for the offices, and reconciliation with the skilled-talent platform. */
@Module({
  imports: [ReportsCoreModule],
  controllers: [ExportsController, ReconciliationController],
  providers: [ProgressExport],
})
export class ExportsModule {}
