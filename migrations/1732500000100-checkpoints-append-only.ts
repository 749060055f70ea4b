import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints are evidence like the events they seal: the application role may add one and read
 * them, never edit or remove one (the schema's default privileges had granted it UPDATE and DELETE).
 */
export class CheckpointsAppendOnly1732500000100 implements MigrationInterface {
  name = 'CheckpointsAppendOnly1732500000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON audit_checkpoints FROM PUBLIC`);
    await q.query(
      `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_checkpoints FROM skills_app`,
    );
    await q.query(`GRANT SELECT, INSERT ON audit_checkpoints TO skills_app`);
  }

  async down(): Promise<void> {}
}
