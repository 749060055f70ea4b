import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-user token generation: a password change bumps it and every token carrying an older one is
 * refused, with no comparison of clocks. Login failures and idempotency keys are expired by age.
 */
export class LoginHardening1732500000101 implements MigrationInterface {
  name = 'LoginHardening1732500000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_credentials ADD COLUMN token_generation integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX login_failures_at_idx ON login_failures (at)`);
  }

  async down(): Promise<void> {}
}
