// Measuring helpers for the event-store bench (event-store.bench.ts): workload shape, timing, and
// the raw ceiling (the same rows INSERTed and SELECTed with no event-store logic at all).
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import type { DataSource } from 'typeorm';
import type { NewEvent } from '../../libs/event-store/src';

export const BATCH = 100;

/** A signal-shaped payload of about 300 bytes once serialised. */
export function payload(i: number): Record<string, unknown> {
  return {
    source: 'checkout-service',
    component: 'payment-gateway',
    level: 'ERROR',
    message: `upstream payment provider timed out after 3 retries (request ${i}); circuit breaker opened for 30s`,
    errorCode: 'ETIMEDOUT',
    durationMs: 1500 + (i % 1000),
    attributes: {
      region: 'eu-west-1',
      pod: `checkout-7f9c-${i % 50}`,
      attempt: 3,
      userId: `u-${i % 10_000}`,
    },
  };
}

export const METADATA = {
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  actor: 'ingest',
};

export function batch(size: number, from: number): NewEvent[] {
  return Array.from({ length: size }, (_, k) => ({
    id: randomUUID(),
    type: 'SignalReceived',
    schemaVersion: 1,
    occurredAt: new Date(),
    payload: payload(from + k),
    metadata: METADATA,
  }));
}

/** A measured rate, and what it cost this process in CPU (the database's CPU is not in it). */
export interface Rate {
  perSecond: number;
  cpuMicrosPerRow: number;
}

/**
 * Alternates short slices of `a` and `b` (each `writers` loops in parallel) and returns the mean
 * rate of each: on a shared machine the load drifts, and interleaving exposes both to the same drift.
 */
export async function interleaved(
  ms: number,
  slices: number,
  writers: number,
  a: (writer: number) => Promise<number>,
  b: (writer: number) => Promise<number>,
): Promise<[Rate, Rate]> {
  const runs: [Rate[], Rate[]] = [[], []];
  for (let i = 0; i < slices; i++) {
    runs[0].push(await throughput(ms / slices, writers, a));
    runs[1].push(await throughput(ms / slices, writers, b));
  }
  const mean = (rates: Rate[]): Rate => ({
    perSecond: rates.reduce((sum, r) => sum + r.perSecond, 0) / rates.length,
    cpuMicrosPerRow:
      rates.reduce((sum, r) => sum + r.cpuMicrosPerRow, 0) / rates.length,
  });
  return [mean(runs[0]), mean(runs[1])];
}

/** Runs `writers` loops in parallel for `ms`; each call of `step` returns the rows it wrote. */
export async function throughput(
  ms: number,
  writers: number,
  step: (writer: number) => Promise<number>,
): Promise<Rate> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const deadline = started + ms;
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let rows = 0;
      while (performance.now() < deadline) rows += await step(w);
      return rows;
    }),
  );
  return rate(
    counts.reduce((a, b) => a + b, 0),
    started,
    cpu,
  );
}

export function rate(
  rows: number,
  started: number,
  cpu: NodeJS.CpuUsage,
): Rate {
  const used = process.cpuUsage(cpu);
  return {
    perSecond: rows / ((performance.now() - started) / 1000),
    cpuMicrosPerRow: (used.user + used.system) / rows,
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

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

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const cpu = (r: Rate): string =>
  `node CPU ${r.cpuMicrosPerRow.toFixed(1)} us/row`;
export const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;
export const rssMb = (): string =>
  `rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
