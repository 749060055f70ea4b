import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import {
  type Actor,
  canCreateUser,
  DomainError,
  type Role,
  SYSTEM_ACTOR,
  userDecider,
  normalizeUsername,
  userStreamId,
} from '@app/domain';
import { VersionConflictError } from '@app/event-store';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import { UnitDirectory } from '../units/unit-directory';
import { LoginThrottle } from './login-throttle';
import { UserDirectory, type UserRecord } from './user-directory';

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  unitCode: string;
}

// Verifying against a real hash when the user does not exist keeps response times from telling who exists.
const DUMMY_HASH = argon2.hash('not-a-real-password-0000');

@Injectable()
export class UsersService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly units: UnitDirectory,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.throttle = new LoginThrottle(db, clock);
  }

  async create(creator: Actor, raw: NewUser): Promise<UserRecord> {
    const input = { ...raw, username: normalizeUsername(raw.username) };
    const unit = await this.units.find(input.unitCode);
    if (!unit) throw new DomainError('NOT_FOUND', `单位 ${input.unitCode} 不存在`);
    const allowed =
      creator.role === 'system' ||
      canCreateUser(
        { role: creator.role, unitCode: creator.unitCode },
        {
          role: input.role,
          unitCode: unit.code,
          unitKind: unit.kind as any,
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
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    try {
      await this.executor.execute({
        streamId: userStreamId(input.username),
        decider: userDecider,
        actor: creator,
        command: (now) => ({
          type: 'CreateUser' as const,
          data: {
            username: input.username,
            displayName: input.displayName,
            role: input.role,
            unitCode: unit.code,
          },
          at: now.toISOString(),
          actor: creator,
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

  async disable(actor: Actor, username: string, expectedVersion?: number): Promise<UserRecord> {
    await this.executor.execute({
      streamId: userStreamId(username),
      decider: userDecider,
      actor,
      expectedVersion,
      command: (now) => ({
        type: 'DisableUser' as const,
        data: {},
        at: now.toISOString(),
        actor,
      }),
    });
    return (await this.users.find(username))!;
  }

  /**
   * A user changes its own password (`currentPassword` judged and counted like a login), or an admin
   * resets one (`currentPassword` undefined). Either way every token issued before ends: the user's
   * token generation moves on in the same transaction. Answers the new generation.
   */
  async changePassword(
    actor: Actor,
    username: string,
    currentPassword: string | undefined,
    newPassword: string,
    address = 'unknown',
  ): Promise<number> {
    if (currentPassword !== undefined && !(await this.judge(username, currentPassword, address, true))) {
      throw new ProblemException('UNAUTHENTICATED', '当前密码不正确');
    }
    const passwordHash = await argon2.hash(newPassword, { type: argon2.argon2id });
    let generation = 0;
    await this.executor.execute({
      streamId: userStreamId(username),
      decider: userDecider,
      actor,
      command: (now) => ({ type: 'ChangePassword' as const, data: {}, at: now.toISOString(), actor }),
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

  /** Checks a login; refuses with RATE_LIMITED while the username is locked out. */
  async authenticate(rawUsername: string, password: string, address: string): Promise<UserRecord> {
    const username = normalizeUsername(rawUsername);
    const user = await this.users.find(username);
    const usable = user !== undefined && !user.disabled;
    if (!(await this.judge(username, password, address, usable)) || !usable) {
      throw new ProblemException('UNAUTHENTICATED', '用户名或密码不正确');
    }
    return user!;
  }

  /**
   * One judged password attempt: slowed when its address is busy with failures, refused while the
   * username is locked, and counted before argon2 runs. A right password clears the username's
   * failures only when it lets someone in (`clears`): for a disabled account it still counts.
   */
  private async judge(username: string, password: string, address: string, clears: boolean) {
    await this.throttle.slowBusyAddress(address);
    await this.throttle.reserve(username, address);
    const ok = await this.passwordMatches(username, password);
    if (ok && clears) await this.throttle.clear(username);
    return ok;
  }

  /** Creates the first province admin from the environment when that user does not exist yet. */
  async ensureAdmin(username: string, password: string): Promise<void> {
    if (await this.users.find(username)) return;
    try {
      await this.create(SYSTEM_ACTOR, {
        username,
        password,
        displayName: '省级管理员',
        role: 'province-admin',
        unitCode: 'province',
      });
    } catch (error) {
      // Another process created it at the same moment.
      if (!(error instanceof DomainError && error.code === 'USERNAME_TAKEN')) throw error;
    }
  }

  private async passwordMatches(username: string, password: string): Promise<boolean> {
    const [row] = await this.db.query('SELECT password_hash FROM user_credentials WHERE username = $1', [
      username,
    ]);
    const hash = row?.password_hash ?? (await DUMMY_HASH);
    const matches = await argon2.verify(hash, password).catch(() => false);
    return matches && row !== undefined;
  }
}

function isUnitFitForRole(role: Role, kind: string): boolean {
  if (role === 'province-admin' || role === 'auditor') return kind === 'province';
  if (role === 'region-operator') return kind === 'region';
  return kind !== 'province';
}
