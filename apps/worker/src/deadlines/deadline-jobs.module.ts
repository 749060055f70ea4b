import { Module } from '@nestjs/common';
import { DeadlinesCoreModule } from '@app/application/deadlines/deadlines-core.module';
import { ScansCoreModule } from '@app/application/scans/scans-core.module';
import { Housekeeping } from '@app/application/housekeeping';
import { DeadlineProcessor } from './deadline.processor';
import { DeadlineSchedules } from './deadline-schedules';

/** The worker's side of deadlines: BullMQ schedulers, their processors and the start-up catch-up (and housekeeping). */
@Module({
  imports: [DeadlinesCoreModule, ScansCoreModule],
  providers: [DeadlineProcessor, DeadlineSchedules, Housekeeping],
})
export class DeadlineJobsModule {}
