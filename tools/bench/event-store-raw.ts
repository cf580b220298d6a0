// The raw ceiling for the event-store bench: rows of the same shape and size INSERTed and SELECTed
// with no event-store logic at all (no hashing, no head, no idempotency, a primary key only).
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { METADATA, type Rate, payload, rate } from './event-store-support';

/** A plain table with the events table's columns and a primary key, nothing else. */
export async function createRawTable(
  admin: DataSource,
  schema: string,
): Promise<string> {
  const table = `"${schema}".raw_events`;
  await admin.query(`
    CREATE TABLE ${table} (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      event_id uuid NOT NULL, stream_id text NOT NULL, stream_version integer NOT NULL,
      type text NOT NULL, schema_version integer NOT NULL, occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(), payload jsonb NOT NULL, metadata jsonb NOT NULL,
      prev_hash text NOT NULL, hash text NOT NULL)`);
  return table;
}

// Stand-ins of the right size: the ceiling must not pay for hashing that only the store does.
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** One plain multi-row INSERT ... VALUES of `size` rows shaped like events. */
export function rawInsert(
  dataSource: DataSource,
  table: string,
  size: number,
  from: number,
): Promise<unknown> {
  const values: unknown[] = [];
  const tuples: string[] = [];
  const metadata = JSON.stringify(METADATA);
  for (let k = 0; k < size; k++) {
    const p = values.length;
    tuples.push(
      `($${p + 1},$${p + 2},$${p + 3},$${p + 4},$${p + 5},$${p + 6},$${p + 7},$${p + 8},$${p + 9},$${p + 10})`,
    );
    values.push(
      randomUUID(),
      'raw-stream',
      from + k + 1,
      'SignalReceived',
      1,
      new Date().toISOString(),
      JSON.stringify(payload(from + k)),
      metadata,
      HASH_A,
      HASH_B,
    );
  }
  return dataSource.query(
    `INSERT INTO ${table} (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
     VALUES ${tuples.join(',')}`,
    values,
  );
}

/** A plain keyset scan returning the same columns readAll returns, with node-postgres defaults. */
export async function rawScan(
  dataSource: DataSource,
  schema: string,
  page: number,
): Promise<Rate & { rows: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  let after = '0';
  for (;;) {
    const got: { global_position: string }[] = await dataSource.query(
      `SELECT event_id, stream_id, stream_version, global_position, transaction_id, type, schema_version,
              occurred_at, recorded_at, payload, metadata, hash
         FROM "${schema}".events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, page],
    );
    if (got.length === 0) break;
    rows += got.length;
    after = got[got.length - 1].global_position;
  }
  return { rows, ...rate(rows, started, cpu) };
}
