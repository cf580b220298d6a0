import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * The postmortem service's read model: one row per drafted postmortem, when it is due (24 hours
 * after its incident resolved) and whether it was flagged overdue, so the timer poller finds the
 * drafts that fell due without folding every postmortem stream. Written in the transaction that
 * appends the PostmortemDrafted / PostmortemOverdue it summarises; every column is a function of
 * the `postmortem-<incidentId>` stream, so the rows can be rebuilt by folding the streams again.
 */
export class CreatePostmortemDue1764547200000 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreatePostmortemDue1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.postmortem_due (
        incident_id uuid PRIMARY KEY,
        due_at timestamptz NOT NULL,
        overdue_at timestamptz,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The poller only ever wants drafts not flagged yet; the partial index shrinks as they are.
    await queryRunner.query(`CREATE INDEX postmortem_due_pending_idx ON ${s}.postmortem_due (due_at) WHERE overdue_at IS NULL`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${s}.postmortem_due TO incident_app`);
    await queryRunner.query(`GRANT SELECT ON ${s}.postmortem_due TO incident_reader`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A read model: dropping it loses nothing the log does not hold.
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.postmortem_due`);
  }
}
