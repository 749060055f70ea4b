import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger: one append-only events table with a hash chain, guarded twice: the application role
 * may only INSERT and SELECT, and a trigger refuses UPDATE, DELETE and TRUNCATE even for the owner.
 */
export class LedgerCore1732500000000 implements MigrationInterface {
  name = 'LedgerCore1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skills_app') THEN
          CREATE ROLE skills_app NOLOGIN;
        END IF;
      END $$`);
    await q.query(`GRANT skills_app TO CURRENT_USER`).catch(() => undefined);
    await q.query(`GRANT USAGE ON SCHEMA public TO skills_app`);

    await q.query(`
      CREATE TABLE events (
        position        bigint PRIMARY KEY CHECK (position > 0),
        stream_id       text NOT NULL,
        stream_position integer NOT NULL CHECK (stream_position > 0),
        type            text NOT NULL,
        schema_version  integer NOT NULL DEFAULT 1,
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL,
        prev_hash       char(64) NOT NULL,
        hash            char(64) NOT NULL,
        CONSTRAINT events_stream_position_unique UNIQUE (stream_id, stream_position)
      )`);
    await q.query(`CREATE INDEX events_type_idx ON events (type, position)`);
    await q.query(`CREATE INDEX events_recorded_at_idx ON events (recorded_at)`);
    await q.query(`
      CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are immutable: % refused (corrections are new events)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
                   FOR EACH ROW EXECUTE FUNCTION events_are_immutable()`);
    await q.query(`CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
                   FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable()`);
    await q.query(`REVOKE ALL ON events FROM PUBLIC`);
    await q.query(`GRANT SELECT, INSERT ON events TO skills_app`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id      text NOT NULL,
        key          text NOT NULL,
        request_hash char(64) NOT NULL,
        status       integer,
        response     jsonb,
        headers      jsonb,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    await q.query(`
      CREATE TABLE projection_checkpoints (
        name       text PRIMARY KEY,
        position   bigint NOT NULL DEFAULT 0,
        status     text NOT NULL DEFAULT 'running',
        updated_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE projection_dead_letters (
        id          bigserial PRIMARY KEY,
        projection  text NOT NULL,
        position    bigint NOT NULL,
        event_type  text NOT NULL,
        error       text NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (projection, position)
      )`);

    // Application tables other than the ledger: full DML for the app role.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys, projection_checkpoints,
                   projection_dead_letters TO skills_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO skills_app`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO skills_app`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO skills_app`);
  }

  async down(): Promise<void> {
    // The ledger is never dropped by a migration.
  }
}
