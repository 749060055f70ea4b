import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users (a read model of user streams), their secrets (never in the ledger) and login failures. */
export class Identity1732500000001 implements MigrationInterface {
  name = 'Identity1732500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        username     text PRIMARY KEY,
        display_name text NOT NULL,
        role         text NOT NULL,
        unit_code    text NOT NULL,
        disabled     boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL,
        version      integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE user_credentials (
        username      text PRIMARY KEY,
        password_hash text NOT NULL,
        changed_at    timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE login_failures (
        id       bigserial PRIMARY KEY,
        username text NOT NULL,
        address  text NOT NULL,
        at       timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX login_failures_user_idx ON login_failures (username, at DESC)`);
    await q.query(`CREATE INDEX login_failures_address_idx ON login_failures (address, at DESC)`);
  }

  async down(): Promise<void> {}
}
