import { Module } from '@nestjs/common';
import { DeadlinesCoreModule } from '@app/application/deadlines/deadlines-core.module';
import { AuthModule } from '../auth/auth.module';
import { DeadlinesController } from './deadlines.controller';
import { QueueDashboard } from './queue-dashboard';

/** Deadline sweeps on demand, the reminder record, and the queue dashboard for operators. */
@Module({
  imports: [DeadlinesCoreModule, AuthModule],
  controllers: [DeadlinesController],
  providers: [QueueDashboard],
})
export class DeadlinesModule {}
