import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sealed paper forms (签字盖章扫描件): the bytes, keyed by their sha256, which the ledger event names.
 * Append-only like the ledger: the application role may insert and read, a trigger refuses changes even to
 * the owner. Their delivery to the province's mailbox goes through the reminders outbox (kind `scan`).
 */
export class ReportScans1732500000140 implements MigrationInterface {
  name = 'ReportScans1732500000140';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_scans (
        sha256       char(64) PRIMARY KEY,
        content_type text NOT NULL,
        bytes        integer NOT NULL CHECK (bytes > 0),
        content      bytea NOT NULL,
        stored_at    timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION report_scans_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stored scans are immutable: % refused (a new scan is a new upload)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER report_scans_no_update_or_delete BEFORE UPDATE OR DELETE ON report_scans
                   FOR EACH ROW EXECUTE FUNCTION report_scans_are_immutable()`);
    await q.query(`CREATE TRIGGER report_scans_no_truncate BEFORE TRUNCATE ON report_scans
                   FOR EACH STATEMENT EXECUTE FUNCTION report_scans_are_immutable()`);
    // The default privileges grant every table full DML to the app role: take this one back to read and add.
    await q.query(`REVOKE ALL ON report_scans FROM PUBLIC`);
    await q.query(`REVOKE ALL ON report_scans FROM skills_app`);
    await q.query(`GRANT SELECT, INSERT ON report_scans TO skills_app`);

    // Scan deliveries share the reminders outbox: queued with the upload, claimed (sent_at), then delivered.
    await q.query(`ALTER TABLE reminders DROP CONSTRAINT IF EXISTS reminders_kind_check`);
    await q.query(`ALTER TABLE reminders ADD CONSTRAINT reminders_kind_check
                   CHECK (kind IN ('reminder', 'digest', 'scan'))`);
    await q.query(`ALTER TABLE reminders ALTER COLUMN sent_at DROP NOT NULL`);
    await q.query(`ALTER TABLE reminders ADD COLUMN queued_at timestamptz`);
    await q.query(`CREATE INDEX reminders_undelivered_scans_idx ON reminders (queued_at)
                   WHERE kind = 'scan' AND delivered_at IS NULL`);
  }

  async down(): Promise<void> {
    // Stored scans are evidence the ledger points at: never dropped by a migration.
  }
}
