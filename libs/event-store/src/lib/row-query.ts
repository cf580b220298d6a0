import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { parseTimestamptz } from './timestamptz';

/** The slice of a node-postgres client this module needs. */
interface PgClient {
  query(config: {
    text: string;
    values: unknown[];
    rowMode: 'array';
    types: typeof ROW_TYPES;
  }): Promise<{ rows: unknown[][] }>;
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
 * Runs a read on the underlying pg client with rows as arrays and the parsers above: what reading
 * the whole log costs is mostly per-row parsing in node, and TypeORM's query() offers neither. The
 * caller's transaction is joined when its manager has one; otherwise a pooled connection is borrowed.
 */
export async function queryRows(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  text: string,
  values: unknown[],
): Promise<unknown[][]> {
  const joined = manager?.queryRunner;
  const queryRunner: QueryRunner = joined ?? dataSource.createQueryRunner();
  try {
    const client = (await queryRunner.connect()) as PgClient;
    const result = await client.query({
      text,
      values,
      rowMode: 'array',
      types: ROW_TYPES,
    });
    return result.rows;
  } finally {
    if (!joined) await queryRunner.release();
  }
}
