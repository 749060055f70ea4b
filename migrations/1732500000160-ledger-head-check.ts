import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets a group commit that assumed the head and the streams' versions (its own last commit) check them
 * under the ledger lock and abort its whole transaction, hooks' writes included, when another process
 * appended in between. SQLSTATE SL409 tells the store to redo the batch on the head it reads.
 */
export class LedgerHeadCheck1732500000160 implements MigrationInterface {
  name = 'LedgerHeadCheck1732500000160';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_assert_head(expected_position bigint, expected_versions jsonb) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT coalesce(max(position), 0) FROM events) <> expected_position
           OR EXISTS (
             SELECT 1 FROM jsonb_to_recordset(expected_versions) AS a(stream_id text, version int)
              WHERE coalesce((SELECT max(stream_position) FROM events s WHERE s.stream_id = a.stream_id), 0)
                    <> a.version)
        THEN
          RAISE EXCEPTION 'the ledger moved since this process last appended' USING ERRCODE = 'SL409';
        END IF;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION ledger_assert_head(bigint, jsonb) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ledger_assert_head(bigint, jsonb) TO skills_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ledger_assert_head(bigint, jsonb)`);
  }
}
