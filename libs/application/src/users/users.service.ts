import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { normalizeUsername } from '@app/domain';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { ProblemException } from '../problem';
import { LoginThrottle } from './login-throttle';
import { UserDirectory, type UserRecord } from './user-directory';

// Verifying against a real hash when the user does not exist keeps response times from telling who exists.
const DUMMY_HASH = argon2.hash('not-a-real-password-0000');

/** Judging passwords: logins, and the current password a user gives to change it (throttled alike). */
@Injectable()
export class UsersService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly users: UserDirectory,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.throttle = new LoginThrottle(db, clock);
  }

  /** Checks a login; refuses with RATE_LIMITED while the username is locked out. */
  async authenticate(rawUsername: string, password: string, address: string): Promise<UserRecord> {
    const username = normalizeUsername(rawUsername);
    const user = await this.users.find(username);
    const usable = user !== undefined && !user.disabled;
    if (!(await this.judge(username, password, address, usable)) || !usable) {
      throw new ProblemException('UNAUTHENTICATED', '用户名或密码不正确');
    }
    return user;
  }

  /**
   * One judged password attempt: slowed when its address is busy with failures, refused while the
   * username is locked, and counted before argon2 runs. A right password clears the username's
   * failures only when it lets someone in (`clears`): for a disabled account it still counts. Changing
   * one's own password judges the current one here too.
   */
  async judge(username: string, password: string, address: string, clears: boolean) {
    await this.throttle.slowBusyAddress(address);
    await this.throttle.reserve(username, address);
    const ok = await this.passwordMatches(username, password);
    if (ok && clears) await this.throttle.clear(username);
    return ok;
  }

  private async passwordMatches(username: string, password: string): Promise<boolean> {
    const [row] = await this.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM user_credentials WHERE username = $1',
      [username],
    );
    const hash = row?.password_hash ?? (await DUMMY_HASH);
    const matches = await argon2.verify(hash, password).catch(() => false);
    return matches && row !== undefined;
  }
}
