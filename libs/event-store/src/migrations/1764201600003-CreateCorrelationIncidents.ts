import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * The correlation service's read model: one row per incident it opened, so that it can find the
 * open incidents of a source (a traffic sample measures them all) and the resolve timers that are
 * due, without folding every incident stream. It is written in the same transaction as the
 * incident events it summarises, and it is disposable: every column is a function of the
 * incident's folded stream, so dropping the rows and folding each `incident-<id>` stream again
 * rebuilds it (the log stays the only source of truth).
 *
 * The poller claims due timers with FOR UPDATE SKIP LOCKED, so two replicas never fire the same one.
 */
export class CreateCorrelationIncidents1764201600003 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreateCorrelationIncidents1764201600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.correlation_incidents (
        incident_id uuid PRIMARY KEY,
        fingerprint text NOT NULL,
        source text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'resolved')),
        resolve_due_at timestamptz,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Both lookups only ever want open incidents; partial indexes stay small as incidents resolve.
    await queryRunner.query(`
      CREATE INDEX correlation_incidents_due_idx ON ${s}.correlation_incidents (resolve_due_at)
        WHERE status = 'open' AND resolve_due_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX correlation_incidents_open_by_source_idx ON ${s}.correlation_incidents (source)
        WHERE status = 'open'`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${s}.correlation_incidents TO incident_app`);
    await queryRunner.query(`GRANT SELECT ON ${s}.correlation_incidents TO incident_reader`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A read model: dropping it loses nothing the log does not hold.
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.correlation_incidents`);
  }
}
