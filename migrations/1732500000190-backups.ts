import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcome of every scheduled backup, good or failed: GET /health judges the age of the last good one.
 * The worker only adds rows; the history of backups is not the application's to rewrite.
 */
export class Backups1732500000190 implements MigrationInterface {
  name = 'Backups1732500000190';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE backups (
        id                 bigserial PRIMARY KEY,
        started_at         timestamptz NOT NULL,
        finished_at        timestamptz NOT NULL,
        ok                 boolean NOT NULL,
        dir                text NOT NULL,
        head_position      bigint,
        head_hash          char(64),
        bytes              bigint,
        signed_checkpoints integer,
        error              text
      )`);
    await q.query(`CREATE INDEX backups_good_idx ON backups (finished_at DESC) WHERE ok`);
    await q.query(`REVOKE ALL ON backups FROM skills_app`);
    await q.query(`GRANT SELECT, INSERT ON backups TO skills_app`);
    await q.query(`REVOKE ALL ON SEQUENCE backups_id_seq FROM skills_app`);
    await q.query(`GRANT USAGE ON SEQUENCE backups_id_seq TO skills_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE backups`);
  }
}
