import { MigrationInterface, QueryRunner } from 'typeorm';

/** Monthly reports (inline: a read right after a write sees it) and official monthly progress (async). */
export class ReportReadModels1732500000003 implements MigrationInterface {
  name = 'ReportReadModels1732500000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports (
        unit_code          text NOT NULL,
        period             text NOT NULL,
        year               integer NOT NULL,
        version            integer NOT NULL,
        revision           integer NOT NULL,
        status             text NOT NULL,
        figures            jsonb,
        official_revision  integer,
        official_figures   jsonb,
        accepted_at        timestamptz,
        first_submitted_at timestamptz,
        submitted_at       timestamptz,
        overdue            boolean NOT NULL DEFAULT false,
        updated_at         timestamptz NOT NULL,
        PRIMARY KEY (unit_code, period)
      )`);
    await q.query(`CREATE INDEX reports_period_idx ON reports (period, status)`);
    await q.query(`
      CREATE TABLE progress_months (
        unit_code  text NOT NULL,
        period     text NOT NULL,
        year       integer NOT NULL,
        revision   integer NOT NULL,
        training   bigint NOT NULL,
        certified  bigint NOT NULL,
        advanced   bigint NOT NULL,
        one_plus_x bigint NOT NULL,
        accepted_at timestamptz NOT NULL,
        PRIMARY KEY (unit_code, period)
      )`);
    await q.query(`CREATE INDEX progress_months_year_idx ON progress_months (year, period)`);
  }

  async down(): Promise<void> {}
}
