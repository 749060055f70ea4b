import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationModule } from '@app/application/application.module';
import { loggerOptions } from '@app/platform/logging';
import { PlatformModule } from '@app/platform/platform.module';
import { BackupJobs } from './backups/backup-jobs';
import { DeadlineJobsModule } from './deadlines/deadline-jobs.module';
import { ProjectionLoop } from './projection-loop';

@Module({
  imports: [
    LoggerModule.forRoot(loggerOptions('worker')),
    PlatformModule,
    ApplicationModule,
    DeadlineJobsModule,
  ],
  providers: [ProjectionLoop, BackupJobs],
})
export class WorkerModule {}
