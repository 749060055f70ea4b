import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { ProblemException } from '../problem';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USER = 5;
/** Beyond this many failures from one address in the window, its attempts are slowed, never refused. */
export const BUSY_ADDRESS_FAILURES = 50;
const MAX_ADDRESS_DELAY_MS = 2500;
// Its own advisory-lock space (two-key form), apart from the ledger's one-key lock.
const LOCK_SPACE = 17_017;

/**
 * How long an attempt from an address with this many recent failures waits before it is judged: it
 * doubles every 10 failures past the threshold and stops at 2.5 s, so a spray from behind one office
 * NAT is slowed while a correct login there still answers within a few seconds.
 */
export const addressDelayMs = (failures: number): number =>
  failures < BUSY_ADDRESS_FAILURES
    ? 0
    : Math.min(MAX_ADDRESS_DELAY_MS, Math.round(250 * 2 ** ((failures - BUSY_ADDRESS_FAILURES) / 10)));

/**
 * Counts password attempts where they cannot race: an attempt takes its place (a row in
 * login_failures) under a per-username lock before argon2 runs, and keeps it unless the password was
 * right. So at most 5 attempts per username are ever judged in a window, however many arrive at once.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async slowBusyAddress(address: string): Promise<void> {
    const since = new Date(this.clock.now().getTime() - LOGIN_WINDOW_MS);
    const [{ count }] = await this.db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM login_failures WHERE address = $1 AND at > $2',
      [address, since],
    );
    const delay = addressDelayMs(count);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** Takes one judged attempt for the username, or refuses with RATE_LIMITED while it is locked out. */
  async reserve(username: string, address: string): Promise<void> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, username]);
      const recent = await tx.query<{ at: Date }>(
        'SELECT at FROM login_failures WHERE username = $1 ORDER BY at DESC LIMIT $2',
        [username, MAX_FAILURES_PER_USER],
      );
      const newest = recent[0]?.at.getTime();
      const oldest = recent[recent.length - 1]?.at.getTime();
      const locked =
        recent.length >= MAX_FAILURES_PER_USER &&
        newest - oldest <= LOGIN_WINDOW_MS &&
        now.getTime() < newest + LOGIN_WINDOW_MS;
      if (locked) throw new ProblemException('RATE_LIMITED', '登录失败次数过多，请 15 分钟后再试');
      await tx.query('INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)', [
        username,
        address,
        now,
      ]);
    });
  }

  /** A right password that lets someone in: the username starts afresh. */
  async clear(username: string): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE username = $1', [username]);
  }
}
