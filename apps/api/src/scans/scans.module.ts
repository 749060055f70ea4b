import { Module } from '@nestjs/common';
import { SCAN_HANDLERS } from '@app/application/scans/scans.commands';
import { ScansCoreModule } from '@app/application/scans/scans-core.module';
import { PlanSettingsController } from './plan-settings.controller';
import { ScansController } from './scans.controller';

/** The sealed form of monthly reports, and the plan setting that makes it required before acceptance. */
@Module({
  imports: [ScansCoreModule],
  controllers: [ScansController, PlanSettingsController],
  providers: [...SCAN_HANDLERS],
})
export class ScansModule {}
