import { Module } from '@nestjs/common';
import { DeadlinesCoreModule } from '@app/application/deadlines/deadlines-core.module';
import { ScansCoreModule } from '@app/application/scans/scans-core.module';
import { DeadlineProcessor } from './deadline.processor';
import { DeadlineSchedules } from './deadline-schedules';

/** The worker's side of deadlines: BullMQ schedulers, their processors and the start-up catch-up. */
@Module({
  imports: [DeadlinesCoreModule, ScansCoreModule],
  providers: [DeadlineProcessor, DeadlineSchedules],
})
export class DeadlineJobsModule {}
