import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * The event log. Append-only is enforced twice: incident_app is granted no UPDATE, DELETE or
 * TRUNCATE, and triggers reject them for everyone else, the owner included. The triggers are
 * ENABLE ALWAYS so that `session_replication_role = replica` does not switch them off; only an
 * explicit ALTER TABLE ... DISABLE TRIGGER by the owner or a superuser does, and verify() then
 * finds whatever was changed through the hash chain.
 */
export class CreateEventLog1764201600000 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreateEventLog1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE FUNCTION ${s}.reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING HINT = 'append a compensating event instead';
      END $fn$`);

    // global_position comes from an identity sequence, handed out at INSERT and so not in commit
    // order; transaction_id (xid8) is what lets readAll put a safe horizon on that (see read-all.ts).
    // recorded_at is statement_timestamp(), not now(): a stream's next version is inserted by a
    // statement that started after the previous version committed, so recorded_at never goes
    // backwards within a stream and readStream({ asOf }) always returns a prefix of the stream.
    await queryRunner.query(`
      CREATE TABLE ${s}.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME ${s}.events_global_position_seq) PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL CONSTRAINT events_event_id_key UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        schema_version integer NOT NULL CHECK (schema_version > 0),
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
        metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
      )`);
    await queryRunner.query(
      `CREATE INDEX events_transaction_position_idx ON ${s}.events (transaction_id, global_position)`,
    );
    await queryRunner.query(`
      CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON ${s}.events
        FOR EACH ROW EXECUTE FUNCTION ${s}.reject_mutation()`);
    await queryRunner.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_mutation()`);
    await queryRunner.query(
      `ALTER TABLE ${s}.events ENABLE ALWAYS TRIGGER events_no_update_delete`,
    );
    await queryRunner.query(
      `ALTER TABLE ${s}.events ENABLE ALWAYS TRIGGER events_no_truncate`,
    );

    await queryRunner.query(
      `GRANT USAGE ON SCHEMA ${s} TO incident_app, incident_reader`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT ON ${s}.events TO incident_app`,
    );
    await queryRunner.query(
      `GRANT USAGE ON SEQUENCE ${s}.events_global_position_seq TO incident_app`,
    );
    await queryRunner.query(`GRANT SELECT ON ${s}.events TO incident_reader`);
  }

  async down(): Promise<void> {
    // Dropping the log would destroy the only source of truth; no migration may do that.
    throw new Error(
      'CreateEventLog is irreversible: the event log is never dropped by a migration',
    );
  }
}
