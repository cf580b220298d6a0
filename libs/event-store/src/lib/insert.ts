import type { Head } from './append';
import { canonicalEventText, chainHash } from './hash-chain';
import type { PreparedEvent } from './prepare';
import type { Db } from './row-query';
import type { Statements } from './statements';
import type { StoredEvent } from './types';

const SAVEPOINT = 'event_store_append';

interface InsertedRow {
  /** int8[] in stream-version order, as strings. */
  positions: string[] | null;
  transaction_id: string;
  recorded_at: Date;
}

/**
 * The events as stored, or undefined when `head` is no longer the stream's head (nothing stored).
 * Inside the caller's transaction a failed statement would poison the whole transaction, so the
 * INSERT runs under a savepoint: on a conflict the caller's transaction stays usable and the next
 * attempt can look at the head again and say precisely what happened.
 */
export async function insertGuarded(
  run: Db,
  inTransaction: boolean,
  sql: Statements,
  streamId: string,
  head: Head,
  fresh: PreparedEvent[],
): Promise<StoredEvent[] | undefined> {
  if (!inTransaction) return insert(run, sql, streamId, head, fresh);
  await run.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const appended = await insert(run, sql, streamId, head, fresh);
    await run.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return appended;
  } catch (error) {
    await run.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    throw error;
  }
}

async function insert(
  run: Db,
  sql: Statements,
  streamId: string,
  head: Head,
  fresh: PreparedEvent[],
): Promise<StoredEvent[] | undefined> {
  const n = fresh.length;
  const versions = new Array<number>(n);
  const prevHashes = new Array<string>(n);
  const hashes = new Array<string>(n);
  let prev = head.hash;
  for (let i = 0; i < n; i++) {
    const event = fresh[i];
    const streamVersion = head.version + i + 1;
    const canonical = canonicalEventText(
      {
        id: event.id,
        streamId,
        streamVersion,
        type: event.type,
        schemaVersion: event.schemaVersion,
      },
      event.occurredAtIso,
      event.payloadJson,
      event.metadataJson,
    );
    versions[i] = streamVersion;
    prevHashes[i] = prev;
    hashes[i] = prev = chainHash(prev, canonical);
  }
  const [row] = await run.prepared<InsertedRow>(sql.names.insert, sql.insert, [
    streamId,
    arrayLiteral(fresh.map((event) => event.id)),
    arrayLiteral(versions),
    JSON.stringify(fresh.map((event) => event.type)),
    arrayLiteral(fresh.map((event) => event.schemaVersion)),
    arrayLiteral(fresh.map((event) => event.occurredAtIso)),
    `[${fresh.map((event) => event.payloadJson).join(',')}]`,
    `[${fresh.map((event) => event.metadataJson).join(',')}]`,
    arrayLiteral(prevHashes),
    arrayLiteral(hashes),
    versions[n - 1],
    hashes[n - 1],
    head.version,
    head.hash,
  ]);
  const positions = row?.positions;
  if (!positions) return undefined;
  if (positions.length !== n)
    throw new Error(
      `stream ${streamId}: the INSERT reported ${positions.length} rows for ${n} events`,
    );
  return fresh.map((event, i) => ({
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    payload: event.payload,
    metadata: event.metadata,
    streamId,
    streamVersion: versions[i],
    globalPosition: positions[i],
    transactionId: row.transaction_id,
    recordedAt: new Date(row.recorded_at.getTime()),
    hash: hashes[i],
  }));
}

/** Only for values that never need quoting in an array literal: uuids, hex, ISO timestamps, integers. */
function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}
