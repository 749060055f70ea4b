import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders and digests as delivery records (not domain facts): the row is claimed before the message
 * goes out, so a retried or duplicated job finds it and never sends twice.
 */
export class Deadlines1732500000030 implements MigrationInterface {
  name = 'Deadlines1732500000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminders (
        unit_code    text NOT NULL,
        period       text NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('reminder', 'digest')),
        channel      text NOT NULL,
        recipient    text NOT NULL,
        address      text,
        sent_at      timestamptz NOT NULL,
        delivered_at timestamptz,
        error        text,
        PRIMARY KEY (unit_code, period, kind, recipient)
      )`);
    await q.query(`CREATE INDEX reminders_period_idx ON reminders (period, kind)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reminders`);
  }
}
