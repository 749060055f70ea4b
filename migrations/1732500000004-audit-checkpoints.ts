import { MigrationInterface, QueryRunner } from 'typeorm';

/** Signed chain heads. A copy also goes to a directory outside the database, where it can be taken away. */
export class AuditCheckpoints1732500000004 implements MigrationInterface {
  name = 'AuditCheckpoints1732500000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        position   bigint PRIMARY KEY,
        hash       char(64) NOT NULL,
        signed_at  timestamptz NOT NULL,
        reason     text NOT NULL,
        public_key text NOT NULL,
        signature  text NOT NULL
      )`);
  }

  async down(): Promise<void> {}
}
