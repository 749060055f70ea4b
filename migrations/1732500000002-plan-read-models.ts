import { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of plans, units and regional splits; all rebuilt from the ledger on demand. */
export class PlanReadModels1732500000002 implements MigrationInterface {
  name = 'PlanReadModels1732500000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        kind        text NOT NULL,
        parent_code text,
        created_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX units_parent_idx ON units (parent_code)`);
    await q.query(`
      CREATE TABLE plans (
        year          integer PRIMARY KEY,
        version       integer NOT NULL,
        file_hash     text NOT NULL,
        due_day       integer NOT NULL,
        reminder_days integer NOT NULL,
        published_at  timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE plan_units (
        year       integer NOT NULL,
        code       text NOT NULL,
        ordinal    integer NOT NULL,
        training   bigint,
        certified  bigint,
        advanced   bigint,
        one_plus_x bigint,
        PRIMARY KEY (year, code)
      )`);
    await q.query(`
      CREATE TABLE allocations (
        year        integer NOT NULL,
        region_code text NOT NULL,
        version     integer NOT NULL,
        status      text NOT NULL,
        PRIMARY KEY (year, region_code)
      )`);
    await q.query(`
      CREATE TABLE allocation_shares (
        year        integer NOT NULL,
        region_code text NOT NULL,
        school_code text NOT NULL,
        training    bigint NOT NULL,
        certified   bigint NOT NULL,
        one_plus_x  bigint NOT NULL,
        PRIMARY KEY (year, region_code, school_code)
      )`);
  }

  async down(): Promise<void> {}
}
