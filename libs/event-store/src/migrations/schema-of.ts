import type { QueryRunner } from 'typeorm';
import { DEFAULT_SCHEMA, schemaIdent } from '../lib/sql';

/**
 * Migrations take their schema from the DataSource options rather than hard-coding it, so the
 * same classes build the production schema, a test's scratch schema and an auditor's replay copy.
 */
export function schemaOf(queryRunner: QueryRunner): string {
  const { schema } = queryRunner.connection.options as { schema?: string };
  return schemaIdent(schema ?? DEFAULT_SCHEMA);
}
