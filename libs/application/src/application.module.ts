import { Global, Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';
import { UnitDirectory } from './units/unit-directory';
import { UserDirectory } from './users/user-directory';
import { UsersService } from './users/users.service';
import { CheckpointStore } from './audit/checkpoints';

/** Services both apps use: the command executor and the directories access rules are judged by. */
@Global()
@Module({
  providers: [CommandExecutor, UnitDirectory, UserDirectory, UsersService, CheckpointStore],
  exports: [CommandExecutor, UnitDirectory, UserDirectory, UsersService, CheckpointStore],
})
export class ApplicationModule {}
