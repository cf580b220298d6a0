import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * Personal data, kept out of the log so that it can be erased (docs/personal-data.md).
 *
 * `personal_data`: one row per data subject (a publisher's `userId`): the pseudonym (`user_ref`)
 * events name the user by, and the random key it was derived under (HMAC-SHA256). Events hold
 * only the pseudonym; deleting the row (`incidentctl forget`) erases the only link from it back to
 * the person, without touching a hashed event. The services may add subjects and look up the
 * pseudonym of a subject they are given (SELECT on subject and user_ref, never the key); nobody
 * but the owner may DELETE, and incident_reader (auditors) sees nothing of it.
 *
 * `personal_data_erasures`: what `forget` erased, by pseudonym and when, never the subject itself,
 * so an auditor can tell an erased user from one never seen.
 */
export class CreatePersonalData1764720000000 implements MigrationInterface {
  // Explicit, because bundlers mangle class names and TypeORM reads the timestamp from the name.
  readonly name = 'CreatePersonalData1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.personal_data (
        subject text PRIMARY KEY,
        user_ref text NOT NULL UNIQUE,
        key bytea NOT NULL CHECK (octet_length(key) = 32),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.personal_data_erasures (
        user_ref text PRIMARY KEY,
        subject_since timestamptz NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now(),
        erased_by text NOT NULL DEFAULT current_user
      )`);
    await queryRunner.query(`GRANT INSERT, SELECT (subject, user_ref) ON ${s}.personal_data TO incident_app`);
    await queryRunner.query(`GRANT SELECT ON ${s}.personal_data_erasures TO incident_app, incident_reader`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.personal_data_erasures`);
    await queryRunner.query(`DROP TABLE ${s}.personal_data`);
  }
}
