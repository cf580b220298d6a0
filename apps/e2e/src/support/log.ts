import { Client } from 'pg';
import { stack } from './stack';

/** Reads the e2e schema's event log directly, to prove what was (not) stored. */
export async function countSignalsFrom(source: string): Promise<number> {
  return queryCount(
    `SELECT count(*)::int AS n FROM events WHERE type = 'SignalReceived' AND payload->'signal'->>'source' = $1`,
    [source],
  );
}

export async function queryCount(sql: string, params: unknown[]): Promise<number> {
  const s = stack();
  const client = new Client({ connectionString: s.adminUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${s.schema}"`);
    const { rows } = await client.query<{ n: number }>(sql, params);
    return rows[0].n;
  } finally {
    await client.end();
  }
}
