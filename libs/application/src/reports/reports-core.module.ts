import { Module } from '@nestjs/common';
import { AnnualTasks } from './annual-tasks';
import { ProgressQuery } from './progress.query';
import { ReportHistory } from './report-history';
import { ReportScopes } from './report-scope';
import { ReportViews } from './report-view';

/** Monthly reports as any app needs them: the approval chain, the report view, tasks and dashboards. */
@Module({
  providers: [AnnualTasks, ReportScopes, ReportViews, ReportHistory, ProgressQuery],
  exports: [AnnualTasks, ReportScopes, ReportViews, ReportHistory, ProgressQuery],
})
export class ReportsCoreModule {}
