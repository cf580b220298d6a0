import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { parseTimestamptz } from './timestamptz';

/** The slice of a node-postgres client this module needs. */
interface PgClient {
  query(config: {
    name?: string;
    text: string;
    values: unknown[];
    rowMode?: 'array';
    types?: typeof ROW_TYPES;
  }): Promise<{ rows: unknown[] }>;
}

const OID = { INT4: 23, TIMESTAMPTZ: 1184, JSONB: 3802 } as const;
const asText = (text: string): string => text;

/**
 * Parsers for the event columns only: int4 as number, jsonb via JSON.parse, timestamptz by the
 * fast parser, everything else (uuid, text, int8, xid8) left as the string it arrives as.
 * Scoped to the query, never installed globally: the process's other pg users are not ours to change.
 */
const ROW_TYPES = {
  getTypeParser(oid: number): (text: string) => unknown {
    switch (oid) {
      case OID.INT4:
        return Number;
      case OID.JSONB:
        return JSON.parse;
      case OID.TIMESTAMPTZ:
        return parseTimestamptz;
      default:
        return asText;
    }
  },
};

/**
 * Runs `fn` on the underlying node-postgres client, because TypeORM's query() offers neither
 * array rows, per-query parsers nor named (prepared) statements. The caller's transaction is
 * joined when its manager has one; otherwise a pooled connection is borrowed.
 */
async function withClient<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  fn: (client: PgClient) => Promise<T>,
): Promise<T> {
  const joined = manager?.queryRunner;
  const queryRunner: QueryRunner = joined ?? dataSource.createQueryRunner();
  try {
    return await fn((await queryRunner.connect()) as PgClient);
  } finally {
    if (!joined) await queryRunner.release();
  }
}

/**
 * Event rows as arrays, parsed by ROW_TYPES: reading the whole log costs mostly per-row parsing
 * in node, and node-postgres' regex date parser alone was a fifth of it.
 */
export async function queryRows(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  text: string,
  values: unknown[],
): Promise<unknown[][]> {
  const result = await withClient(dataSource, manager, (client) =>
    client.query({ text, values, rowMode: 'array', types: ROW_TYPES }),
  );
  return result.rows as unknown[][];
}

/**
 * A named statement: parsed and planned once per connection instead of on every call. For the
 * append INSERT, planning cost more server CPU than storing a single event. Needs session-level
 * pooling (a transaction-mode pooler would lose the prepared statement between calls).
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const result = await withClient(dataSource, manager, (client) =>
    client.query({ name, text, values }),
  );
  return result.rows as T[];
}

/** How append talks to the database: plain statements, and named ones for the hot path. */
export interface Db {
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
  prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]>;
}

export function db(dataSource: DataSource, manager?: EntityManager): Db {
  const run = manager ?? dataSource.manager;
  return {
    query: (text, values) => run.query(text, values),
    prepared: (name, text, values) =>
      queryPrepared(dataSource, manager, name, text, values),
  };
}
