import type { Job } from 'bullmq';
import { DeadlineProcessor } from '../../apps/worker/src/deadlines/deadline.processor';
import { Housekeeping } from '../../libs/application/src/housekeeping';
import { ManualClock } from '../../libs/platform/src/clock';
import { ledgerFixture } from '../support/ledger-fixture';

jest.setTimeout(60_000);

/** Login failures and idempotency keys stop growing: the worker's hourly job removes the old ones. */
describe('housekeeping', () => {
  let ledger: Awaited<ReturnType<typeof ledgerFixture>>;
  const clock = new ManualClock(new Date('2024-03-15T02:00:00Z'));
  const hoursAgo = (h: number) => new Date(clock.now().getTime() - h * 3_600_000);

  beforeAll(async () => {
    ledger = await ledgerFixture(2);
    for (const [user, age] of [
      ['old', 25],
      ['fresh', 1],
    ] as const) {
      await ledger.db.query('INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)', [
        user,
        '192.0.2.1',
        hoursAgo(age),
      ]);
    }
    for (const [key, age] of [
      ['old', 49],
      ['day-old', 30],
      ['fresh', 1],
    ] as const) {
      await ledger.db.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ('u', $1, repeat('0', 64), $2)`,
        [key, hoursAgo(age)],
      );
    }
  });
  afterAll(() => ledger.close());

  it('removes failures older than a day and keys older than two, as the application role, once', async () => {
    // Only the housekeeping dependency is needed to dispatch this job.
    const unused = undefined as never;
    const housekeeping = new Housekeeping(ledger.db, clock);
    const deps = Array<never>(8).fill(unused) as [never, never, never, never, never, never, never, never];
    const processor = new DeadlineProcessor(...deps, housekeeping);
    expect(await processor.process({ name: 'housekeeping' } as Job)).toEqual({
      loginFailures: 1,
      idempotencyKeys: 1,
    });
    expect(await processor.process({ name: 'housekeeping' } as Job)).toEqual({
      loginFailures: 0,
      idempotencyKeys: 0,
    });
    expect(await ledger.db.query('SELECT username FROM login_failures')).toEqual([{ username: 'fresh' }]);
    const keys = await ledger.db.query('SELECT key FROM idempotency_keys ORDER BY key');
    expect(keys).toEqual([{ key: 'day-old' }, { key: 'fresh' }]);
  });
});
