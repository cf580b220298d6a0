import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * State of the log's readers, kept next to the log so a reader can move its checkpoint, or record
 * a message as processed, in the same transaction as its effect (exactly-once effects on top of
 * at-least-once delivery). Disposable: rebuilding it only means re-reading the log.
 */
export class CreateConsumerState1764201600002 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreateConsumerState1764201600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.processed_messages (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON ${s}.checkpoints TO incident_app`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT ON ${s}.processed_messages TO incident_app`,
    );
    await queryRunner.query(
      `GRANT SELECT ON ${s}.checkpoints, ${s}.processed_messages TO incident_reader`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.processed_messages`);
    await queryRunner.query(`DROP TABLE ${s}.checkpoints`);
  }
}
