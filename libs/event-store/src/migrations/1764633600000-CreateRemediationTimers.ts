import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * The remediation service's timers, one row per (kind, key):
 * - `acknowledgement` (key: incident id): when the incident's acknowledgement deadline is due;
 * - `step` (key: incident id): when the next step of its remediation run may run;
 * - `escalation-webhook` (key: the IncidentEscalated event id): an escalation still to deliver to
 *   ESCALATION_WEBHOOK_URL, written in the transaction that records the escalation (an outbox),
 *   with its attempts and last error.
 * The first two are functions of the folded incident and remediation streams (`stream_version`
 * keeps a replayed older state from overwriting a newer one), so they can be rebuilt from the log.
 * Pollers claim due rows with FOR UPDATE SKIP LOCKED; rows are never deleted (`due_at` is cleared),
 * so the app role needs no DELETE.
 */
export class CreateRemediationTimers1764633600000 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreateRemediationTimers1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.remediation_timers (
        kind text NOT NULL CHECK (kind IN ('acknowledgement', 'step', 'escalation-webhook')),
        key text NOT NULL,
        incident_id uuid NOT NULL,
        due_at timestamptz,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        payload jsonb,
        last_error text,
        stream_version integer NOT NULL DEFAULT 0 CHECK (stream_version >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, key)
      )`);
    // Pollers only ever look for due rows of one kind; the partial index stays small.
    await queryRunner.query(`
      CREATE INDEX remediation_timers_due_idx ON ${s}.remediation_timers (kind, due_at)
        WHERE due_at IS NOT NULL`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${s}.remediation_timers TO incident_app`);
    await queryRunner.query(`GRANT SELECT ON ${s}.remediation_timers TO incident_reader`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.remediation_timers`);
  }
}
