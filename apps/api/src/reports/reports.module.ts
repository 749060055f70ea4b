import { Module } from '@nestjs/common';
import { ReportsCoreModule } from '@app/application/reports/reports-core.module';
import { REPORT_HANDLERS } from '@app/application/reports/reports.commands';
import { ProgressController } from './progress.controller';
import { ReportsController } from './reports.controller';

/** Monthly reports and their approval chain, and the progress and timeliness dashboards. */
@Module({
  imports: [ReportsCoreModule],
  controllers: [ReportsController, ProgressController],
  providers: [...REPORT_HANDLERS],
})
export class ReportsModule {}
