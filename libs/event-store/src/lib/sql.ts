import type { DataSource, EntityManager } from 'typeorm';

export const DEFAULT_SCHEMA = 'event_log';

/**
 * Schema names end up inside SQL text (identifiers cannot be bind parameters), so only plain
 * lower-case identifiers are accepted: no quoting rules to get wrong, no injection.
 */
export function schemaIdent(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`,
    );
  }
  return `"${schema}"`;
}

export function resolveSchema(
  dataSource: DataSource,
  explicit?: string,
): string {
  const fromOptions = (dataSource.options as { schema?: string }).schema;
  return explicit ?? fromOptions ?? DEFAULT_SCHEMA;
}

/** Runs on the caller's transaction when given one, otherwise on a pooled connection. */
export type Runner = Pick<EntityManager, 'query'>;

export function runner(
  dataSource: DataSource,
  manager?: EntityManager,
): Runner {
  return manager ?? dataSource.manager;
}

/** SQLSTATE of a pg error, whether raw or wrapped in TypeORM's QueryFailedError. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
