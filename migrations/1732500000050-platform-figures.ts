import { MigrationInterface, QueryRunner } from 'typeorm';

/** The skilled-talent platform's monthly training figures, as last imported (history stays in the ledger). */
export class PlatformFigures1732500000050 implements MigrationInterface {
  name = 'PlatformFigures1732500000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platform_imports (
        year        integer NOT NULL,
        period      text NOT NULL,
        version     integer NOT NULL,
        file_hash   text NOT NULL,
        imported_at timestamptz NOT NULL,
        PRIMARY KEY (year, period)
      )`);
    await q.query(`
      CREATE TABLE platform_figures (
        year      integer NOT NULL,
        period    text NOT NULL,
        unit_code text NOT NULL,
        training  bigint NOT NULL,
        PRIMARY KEY (year, period, unit_code)
      )`);
  }

  async down(): Promise<void> {}
}
