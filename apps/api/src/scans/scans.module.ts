import { Module } from '@nestjs/common';
import { SCAN_HANDLERS } from '@app/application/scans/scans.commands';
import { ReportsCoreModule } from '@app/application/reports/reports-core.module';
import { ScansCoreModule } from '@app/application/scans/scans-core.module';
import { PlanSettingsController } from './plan-settings.controller';
import { ScansController } from './scans.controller';

/** The sealed form of monthly reports, and the plan setting that makes it required before acceptance. */
@Module({
  // The upload's handler resolves the report against the plan (ReportScopes) before it stores the bytes.
  imports: [ScansCoreModule, ReportsCoreModule],
  controllers: [ScansController, PlanSettingsController],
  providers: [...SCAN_HANDLERS],
})
export class ScansModule {}
