import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * One row per stream: its current version and last hash, written by the same statement that
 * appends. It gives append a one-row read of the head, and gives verify() something to hold the
 * chain's end against: a hash chain alone cannot notice that its last events were deleted.
 * The head may only move forward and never disappear (DELETE and TRUNCATE are rejected).
 */
export class CreateStreamHeads1764201600001 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreateStreamHeads1764201600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version > 0),
        last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
        updated_at timestamptz NOT NULL DEFAULT statement_timestamp()
      )`);
    // Raised as unique_violation: a head that does not move forward means another writer got
    // there first, which append already handles as a version conflict.
    await queryRunner.query(`
      CREATE FUNCTION ${s}.stream_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.stream_id <> OLD.stream_id OR NEW.version <= OLD.version THEN
          RAISE EXCEPTION 'stream % head may only move forward (from % to %)', OLD.stream_id, OLD.version, NEW.version
            USING ERRCODE = 'unique_violation';
        END IF;
        RETURN NEW;
      END $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER streams_forward_only BEFORE UPDATE ON ${s}.streams
        FOR EACH ROW EXECUTE FUNCTION ${s}.stream_head_forward_only()`);
    await queryRunner.query(`
      CREATE TRIGGER streams_no_delete BEFORE DELETE ON ${s}.streams
        FOR EACH ROW EXECUTE FUNCTION ${s}.reject_mutation()`);
    await queryRunner.query(`
      CREATE TRIGGER streams_no_truncate BEFORE TRUNCATE ON ${s}.streams
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_mutation()`);
    for (const trigger of [
      'streams_forward_only',
      'streams_no_delete',
      'streams_no_truncate',
    ]) {
      await queryRunner.query(
        `ALTER TABLE ${s}.streams ENABLE ALWAYS TRIGGER ${trigger}`,
      );
    }
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON ${s}.streams TO incident_app`,
    );
    await queryRunner.query(`GRANT SELECT ON ${s}.streams TO incident_reader`);
  }

  async down(): Promise<void> {
    throw new Error(
      'CreateStreamHeads is irreversible: verify() needs the stream heads',
    );
  }
}
