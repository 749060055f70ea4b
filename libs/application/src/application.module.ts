import { Global, Module } from '@nestjs/common';
import { EventStoreModule } from '@app/event-store/event-store.module';
import { CommandExecutor } from './command-executor';
import { UnitDirectory } from './units/unit-directory';
import { UserDirectory } from './users/user-directory';
import { UsersService } from './users/users.service';
import { CheckpointStore } from './audit/checkpoints';
import { PlatformFiguresService } from './exports/platform-figures.service';
import { AllocationService } from './plan/allocation.service';
import { PlanService } from './plan/plan.service';
import { PLAN_HANDLERS } from './plan/plan.commands';
import { USER_HANDLERS } from './users/users.commands';
import { RegisterSchoolHandler } from './units/units.commands';
import { ImportPlatformFiguresHandler } from './exports/platform.commands';
import { ReadModelFreshness } from './read-models/freshness';

const SHARED = [
  CommandExecutor,
  UnitDirectory,
  UserDirectory,
  UsersService,
  CheckpointStore,
  PlanService,
  AllocationService,
  PlatformFiguresService,
  ReadModelFreshness,
];

/** Services both apps use: the command executor and the directories access rules are judged by. */
@Global()
@Module({
  imports: [EventStoreModule],
  // The command handlers are what the api's CommandBus dispatches to; the worker calls the services directly.
  providers: [
    ...SHARED,
    ...PLAN_HANDLERS,
    RegisterSchoolHandler,
    ...USER_HANDLERS,
    ImportPlatformFiguresHandler,
  ],
  exports: [...SHARED, EventStoreModule],
})
export class ApplicationModule {}
