import { Module } from '@nestjs/common';
import { DeadlineQueue } from './deadline-queue';
import { DeadlineSweep } from './deadline-sweep.service';
import { DueReports } from './due-reports';
import { ReminderChannels } from './reminder-channels';
import { RemindersQuery } from './reminders.query';
import { ReminderService } from './reminders.service';

/** Deadlines as both apps need them: the sweep and reminders (derived from PostgreSQL) and the queue. */
@Module({
  providers: [DueReports, DeadlineSweep, ReminderChannels, ReminderService, RemindersQuery, DeadlineQueue],
  exports: [DueReports, DeadlineSweep, ReminderService, RemindersQuery, DeadlineQueue, ReminderChannels],
})
export class DeadlinesCoreModule {}
