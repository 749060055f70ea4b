import { Injectable } from '@nestjs/common';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';

const HOUR_MS = 3_600_000;
/** Failures matter for 15 minutes (the lock-out window); a day is kept for whoever looks into an attack. */
export const LOGIN_FAILURES_KEPT_MS = 24 * HOUR_MS;
/** Keys are promised to live at least 24 hours; a second day covers clocks that differ between processes. */
export const IDEMPOTENCY_KEYS_KEPT_MS = 48 * HOUR_MS;

/**
 * Removes rows that only ever grow and are useless once old: login failures and idempotency keys.
 * Judged by the injected clock that wrote them; deleting what is already gone is a no-op, so two
 * workers or a retried job do no harm.
 */
@Injectable()
export class Housekeeping {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<{ loginFailures: number; idempotencyKeys: number }> {
    const now = this.clock.now().getTime();
    const failures = await this.db.query('DELETE FROM login_failures WHERE at < $1 RETURNING 1', [
      new Date(now - LOGIN_FAILURES_KEPT_MS),
    ]);
    const keys = await this.db.query('DELETE FROM idempotency_keys WHERE created_at < $1 RETURNING 1', [
      new Date(now - IDEMPOTENCY_KEYS_KEPT_MS),
    ]);
    return { loginFailures: failures.length, idempotencyKeys: keys.length };
  }
}
