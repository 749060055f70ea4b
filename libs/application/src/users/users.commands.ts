import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
import type { UserRecord } from './user-directory';
import { type NewUser, UsersService } from './users.service';

export class CreateUserCommand extends Command<UserRecord> {
  constructor(
    readonly creator: Actor,
    readonly user: NewUser,
  ) {
    super();
  }
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(private readonly users: UsersService) {}
  execute(c: CreateUserCommand) {
    return this.users.create(c.creator, c.user);
  }
}

export class DisableUserCommand extends Command<UserRecord> {
  constructor(
    readonly actor: Actor,
    readonly username: string,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(DisableUserCommand)
export class DisableUserHandler implements ICommandHandler<DisableUserCommand> {
  constructor(private readonly users: UsersService) {}
  execute(c: DisableUserCommand) {
    return this.users.disable(c.actor, c.username, c.expectedVersion);
  }
}

/** Answers the user's new token generation: every token issued before it ends. */
export class ChangePasswordCommand extends Command<number> {
  constructor(
    readonly actor: Actor,
    readonly currentPassword: string,
    readonly newPassword: string,
    /** Where the request came from: a wrong current password counts as a failed login from there. */
    readonly address: string,
  ) {
    super();
  }
}

@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(private readonly users: UsersService) {}
  execute(c: ChangePasswordCommand) {
    return this.users.changePassword(c.actor, c.actor.username, c.currentPassword, c.newPassword, c.address);
  }
}

export const USER_HANDLERS = [CreateUserHandler, DisableUserHandler, ChangePasswordHandler];
