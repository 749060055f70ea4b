import * as argon2 from 'argon2';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  canCreateUser,
  type ChangePassword,
  type CreateUser,
  type DisableUser,
  DomainError,
  normalizeUsername,
  type Role,
  userDecider,
  userStreamId,
} from '@app/domain';
import { VersionConflictError } from '@app/event-store';
import { Clock } from '@app/platform/clock';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import type { Stated } from '../stated';
import { UnitDirectory } from '../units/unit-directory';
import { UserDirectory, type UserRecord } from './user-directory';
import { UsersService } from './users.service';

/** A new account; its password goes beside the command (hashed into `user_credentials`), never into the event. */
export class CreateUserCommand extends Command<UserRecord> {
  constructor(
    readonly command: Stated<CreateUser>,
    readonly password: string,
  ) {
    super();
  }
}

/**
 * Creating an account. The system creates anyone; a person only what `canCreateUser` admits for its
 * role and unit. The hash is stored in the append's transaction; a race for one username is a conflict
 * on the new user's stream, answered as the name taken.
 */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly units: UnitDirectory,
    private readonly clock: Clock,
  ) {}

  async execute({ command, password }: CreateUserCommand): Promise<UserRecord> {
    const { actor: creator } = command;
    const input = { ...command.data, username: normalizeUsername(command.data.username) };
    const unit = await this.units.find(input.unitCode);
    if (!unit) throw new DomainError('NOT_FOUND', `单位 ${input.unitCode} 不存在`);
    const allowed =
      creator.role === 'system' ||
      canCreateUser(
        { role: creator.role, unitCode: creator.unitCode },
        {
          role: input.role,
          unitCode: unit.code,
          unitKind: unit.kind === 'province' ? null : unit.kind,
          unitParentCode: unit.parentCode,
        },
      );
    if (!allowed) {
      const fitsUnit = isUnitFitForRole(input.role, unit.kind);
      if (!fitsUnit && creator.role === 'province-admin') {
        throw new DomainError('VALIDATION_FAILED', `角色 ${input.role} 不能属于单位 ${unit.code}`, [
          { field: 'unitCode', code: 'ROLE_UNIT_MISMATCH', message: '该角色不能属于此单位' },
        ]);
      }
      throw new ProblemException('FORBIDDEN', '您只能为本地区及其所属学校创建填报人和领导账号');
    }
    const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
    try {
      await this.executor.execute({
        streamId: userStreamId(input.username),
        decider: userDecider,
        actor: creator,
        command: (now) => ({
          ...command,
          data: { ...input, unitCode: unit.code },
          at: now.toISOString(),
        }),
        alsoInTransaction: async (tx) => {
          await tx.query(
            `INSERT INTO user_credentials (username, password_hash, changed_at) VALUES ($1, $2, $3)
             ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, changed_at = EXCLUDED.changed_at`,
            [input.username, passwordHash, this.clock.now()],
          );
        },
      });
    } catch (error) {
      if (error instanceof VersionConflictError)
        throw new DomainError('USERNAME_TAKEN', `用户名 ${input.username} 已被占用`);
      throw error;
    }
    return (await this.users.find(input.username))!;
  }
}

function isUnitFitForRole(role: Role, kind: string): boolean {
  if (role === 'province-admin' || role === 'auditor') return kind === 'province';
  if (role === 'region-operator') return kind === 'region';
  return kind !== 'province';
}

/** Disabling an account, with the version of the user's stream the caller last saw. */
export class DisableUserCommand extends Command<UserRecord> {
  constructor(
    readonly username: string,
    readonly command: Stated<DisableUser>,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(DisableUserCommand)
export class DisableUserHandler implements ICommandHandler<DisableUserCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
  ) {}

  async execute({ username, command, expectedVersion }: DisableUserCommand): Promise<UserRecord> {
    await this.executor.execute({
      streamId: userStreamId(username),
      decider: userDecider,
      actor: command.actor,
      expectedVersion,
      command: (now) => ({ ...command, at: now.toISOString() }),
    });
    return (await this.users.find(username))!;
  }
}

/**
 * A user changes its own password (`currentPassword` judged and counted like a login from `address`),
 * or the system resets one (`currentPassword` undefined). Answers the user's new token generation.
 */
export class ChangePasswordCommand extends Command<number> {
  constructor(
    readonly username: string,
    readonly command: Stated<ChangePassword>,
    readonly newPassword: string,
    readonly currentPassword?: string,
    readonly address = 'unknown',
  ) {
    super();
  }
}

/** Every token issued before ends: the user's token generation moves on in the append's transaction. */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async execute(c: ChangePasswordCommand): Promise<number> {
    const { username, command, currentPassword } = c;
    if (
      currentPassword !== undefined &&
      !(await this.users.judge(username, currentPassword, c.address, true))
    ) {
      throw new ProblemException('UNAUTHENTICATED', '当前密码不正确');
    }
    const passwordHash = await argon2.hash(c.newPassword, { type: argon2.argon2id });
    let generation = 0;
    await this.executor.execute({
      streamId: userStreamId(username),
      decider: userDecider,
      actor: command.actor,
      command: (now) => ({ ...command, at: now.toISOString() }),
      alsoInTransaction: async (tx) => {
        const [row] = await tx.query<{ token_generation: number }>(
          `UPDATE user_credentials SET password_hash = $2, changed_at = $3, token_generation = token_generation + 1
            WHERE username = $1 RETURNING token_generation`,
          [username, passwordHash, this.clock.now()],
        );
        generation = row.token_generation;
      },
    });
    return generation;
  }
}

export const USER_HANDLERS = [CreateUserHandler, DisableUserHandler, ChangePasswordHandler];
