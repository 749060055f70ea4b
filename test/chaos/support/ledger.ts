import { Database } from '@app/platform/database';
import { createTestDatabase } from '../../support/databases';

/** A private database cloned from the migrated template, and an owner connection to look into it. */
export async function privateLedger() {
  const database = await createTestDatabase();
  const db = await Database.create({ url: database.url, poolSize: 2 }).connect();
  return {
    url: database.url,
    db,
    /** Overdue events per report stream. */
    overdue: () =>
      db.query<{ stream_id: string; n: number }>(
        `SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'ReportMarkedOverdue'
          GROUP BY stream_id ORDER BY stream_id`,
      ),
    overdueCount: async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM events WHERE type = 'ReportMarkedOverdue'`,
        )
      )[0].n,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

export type Ledger = Awaited<ReturnType<typeof privateLedger>>;

/** Polls `probe` until `accept` holds; throws with the last value after `ms`. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
