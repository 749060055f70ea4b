import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reporting year as it runs: from which month the plan's units owe reports, whether the year is
 * closed, and from which month each city school owes (the first month it held a published share).
 */
export class ReportingYear1732500000120 implements MigrationInterface {
  name = 'ReportingYear1732500000120';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE plans ADD COLUMN reporting_from text`);
    await q.query(`ALTER TABLE plans ADD COLUMN closed boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE allocation_shares ADD COLUMN owes_from text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocation_shares DROP COLUMN owes_from`);
    await q.query(`ALTER TABLE plans DROP COLUMN closed`);
    await q.query(`ALTER TABLE plans DROP COLUMN reporting_from`);
  }
}
