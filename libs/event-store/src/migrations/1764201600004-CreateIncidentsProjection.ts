import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * The `incidents` read model (libs/incident-api): one row per incident for fast, filtered lists.
 * Disposable: its projector rebuilds it from the log, so the services' role may rewrite and
 * empty it, unlike the log. incident_users holds the distinct users already counted per incident,
 * so that affected_users stays a distinct count however often a user's signals arrive.
 */
export class CreateIncidentsProjection1764201600004 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreateIncidentsProjection1764201600004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // No CHECKs on status, severity or type: the domain owns those values, and a projection that
    // refused a new one would stop following the log.
    await queryRunner.query(`
      CREATE TABLE ${s}.incidents (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        type text NOT NULL,
        source text NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL,
        severity text NOT NULL,
        opened_at timestamptz NOT NULL,
        resolved_at timestamptz,
        signal_count integer NOT NULL DEFAULT 0,
        affected_users integer NOT NULL DEFAULT 0,
        error_rate double precision,
        last_seen_at timestamptz NOT NULL,
        version integer NOT NULL CHECK (version > 0)
      )`);
    // The list's order and keyset pagination (opened_at DESC, id), unfiltered and by status.
    await queryRunner.query(`CREATE INDEX incidents_list_idx ON ${s}.incidents (opened_at DESC, id)`);
    await queryRunner.query(`CREATE INDEX incidents_status_list_idx ON ${s}.incidents (status, opened_at DESC, id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.incident_users (
        incident_id uuid NOT NULL,
        user_id text NOT NULL,
        PRIMARY KEY (incident_id, user_id)
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${s}.incidents, ${s}.incident_users TO incident_app`);
    await queryRunner.query(`GRANT SELECT ON ${s}.incidents, ${s}.incident_users TO incident_reader`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.incident_users`);
    await queryRunner.query(`DROP TABLE ${s}.incidents`);
  }
}
