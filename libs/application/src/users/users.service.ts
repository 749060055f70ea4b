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
import { UserDirectory, type UserRecord } from './user-directory';

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  unitCode: string;
}

const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_USER = 5;
const MAX_FAILURES_PER_ADDRESS = 50;
// Verifying against a real hash when the user does not exist keeps response times from telling who exists.
const DUMMY_HASH = argon2.hash('not-a-real-password-0000');

@Injectable()
export class UsersService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly units: UnitDirectory,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

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

  async changePassword(
    actor: Actor,
    username: string,
    currentPassword: string | undefined,
    newPassword: string,
  ): Promise<void> {
    if (currentPassword !== undefined && !(await this.passwordMatches(username, currentPassword))) {
      throw new ProblemException('UNAUTHENTICATED', '当前密码不正确');
    }
    const passwordHash = await argon2.hash(newPassword, { type: argon2.argon2id });
    await this.executor.execute({
      streamId: userStreamId(username),
      decider: userDecider,
      actor,
      command: (now) => ({ type: 'ChangePassword' as const, data: {}, at: now.toISOString(), actor }),
      alsoInTransaction: async (tx) => {
        await tx.query(
          'UPDATE user_credentials SET password_hash = $2, changed_at = $3 WHERE username = $1',
          [username, passwordHash, this.clock.now()],
        );
      },
    });
  }

  /** Checks a login; refuses with RATE_LIMITED while the username (or the address) is locked out. */
  async authenticate(rawUsername: string, password: string, address: string): Promise<UserRecord> {
    const username = normalizeUsername(rawUsername);
    const now = this.clock.now();
    await this.refuseWhileLocked(username, address, now);
    const user = await this.users.find(username);
    const ok = (await this.passwordMatches(username, password)) && user !== undefined && !user.disabled;
    if (!ok) {
      await this.db.query('INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)', [
        username,
        address,
        now,
      ]);
      throw new ProblemException('UNAUTHENTICATED', '用户名或密码不正确');
    }
    await this.db.query('DELETE FROM login_failures WHERE username = $1', [username]);
    return user!;
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

  private async refuseWhileLocked(username: string, address: string, now: Date): Promise<void> {
    const recent = await this.db.query<{ at: Date }>(
      'SELECT at FROM login_failures WHERE username = $1 ORDER BY at DESC LIMIT $2',
      [username, MAX_FAILURES_PER_USER],
    );
    const newest = recent[0]?.at.getTime();
    const oldest = recent[recent.length - 1]?.at.getTime();
    const userLocked =
      recent.length >= MAX_FAILURES_PER_USER &&
      newest - oldest <= WINDOW_MS &&
      now.getTime() < newest + WINDOW_MS;
    const [{ count }] = await this.db.query(
      'SELECT count(*)::int AS count FROM login_failures WHERE address = $1 AND at > $2',
      [address, new Date(now.getTime() - WINDOW_MS)],
    );
    if (userLocked || count >= MAX_FAILURES_PER_ADDRESS) {
      throw new ProblemException('RATE_LIMITED', '登录失败次数过多，请 15 分钟后再试');
    }
  }
}

function isUnitFitForRole(role: Role, kind: string): boolean {
  if (role === 'province-admin' || role === 'auditor') return kind === 'province';
  if (role === 'region-operator') return kind === 'region';
  return kind !== 'province';
}
