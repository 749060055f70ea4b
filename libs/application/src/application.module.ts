import { Global, Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';
import { UnitDirectory } from './units/unit-directory';
import { UserDirectory } from './users/user-directory';
import { UsersService } from './users/users.service';
import { CheckpointStore } from './audit/checkpoints';
import { PlatformFiguresService } from './exports/platform-figures.service';
import { AllocationService } from './plan/allocation.service';
import { PlanService } from './plan/plan.service';
import { UnitsService } from './units/units.service';

const SHARED = [
  CommandExecutor,
  UnitDirectory,
  UserDirectory,
  UsersService,
  CheckpointStore,
  PlanService,
  AllocationService,
  UnitsService,
  PlatformFiguresService,
];

/** Services both apps use: the command executor and the directories access rules are judged by. */
@Global()
@Module({
  providers: SHARED,
  exports: SHARED,
})
export class ApplicationModule {}
