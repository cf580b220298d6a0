import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyError, EventIdConflictError } from './errors';
import { GENESIS_HASH, canonicalEvent, chainHash } from './hash-chain';
import { prepareEvents, type PreparedEvent } from './prepare';
import { type Runner, UNIQUE_VIOLATION, sqlState } from './sql';
import type { Statements } from './statements';
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from './types';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Join the caller's transaction: the events commit or roll back with the caller's other writes. */
  manager?: EntityManager;
}

interface Head {
  version: number;
  hash: string;
  /** event id -> version, for ids of this append already stored in this stream. */
  stored: Map<string, number>;
}

interface HeadRow {
  event_id: string | null;
  stream_id: string;
  stream_version: number;
  hash: string | null;
}

interface InsertedRow {
  stream_version: number;
  global_position: string;
  transaction_id: string;
  recorded_at: Date;
}

// After a lost race one more look at the head settles an expected version: the events are now
// stored (a racing duplicate) or the stream moved (a conflict). 'any' just tries again on top; every
// lost race means another writer got through, so it ends, but it may take one try per rival.
const MAX_ATTEMPTS = 3;
const MAX_ATTEMPTS_ANY = 50;
const SAVEPOINT = 'event_store_append';

/**
 * Optimistic append. The head is read first without locks; the INSERT is a single statement and so
 * atomic on its own, and the unique constraints on (stream_id, stream_version) and event_id decide
 * any race: of two writers at the same expected version one INSERT fails and stores nothing.
 */
export async function append(
  dataSource: DataSource,
  sql: Statements,
  streamId: string,
  events: readonly NewEvent[],
  opts: AppendOptions,
): Promise<AppendResult> {
  const prepared = prepareEvents(streamId, events);
  const inTransaction = opts.manager?.queryRunner?.isTransactionActive === true;
  const run: Runner = opts.manager ?? dataSource.manager;
  const maxAttempts = opts.expectedVersion === 'any' ? MAX_ATTEMPTS_ANY : MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const head = await readHead(run, sql, streamId, prepared);
    const fresh = prepared.filter((event) => !head.stored.has(event.id));
    const duplicates = prepared.filter((event) => head.stored.has(event.id)).map((event) => event.id);
    if (prepared.length > 0 && fresh.length === 0) {
      return { streamId, nextExpectedVersion: head.version, appended: [], duplicates };
    }
    checkExpected(streamId, opts.expectedVersion, head);
    if (fresh.length === 0) return { streamId, nextExpectedVersion: head.version, appended: [], duplicates };
    try {
      const appended = await insertGuarded(run, inTransaction, sql, streamId, head, fresh);
      return { streamId, nextExpectedVersion: head.version + fresh.length, appended, duplicates };
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      if (attempt >= maxAttempts) throw new ConcurrencyError(streamId, opts.expectedVersion, head.version);
    }
  }
}

async function readHead(run: Runner, sql: Statements, streamId: string, events: PreparedEvent[]): Promise<Head> {
  const rows: HeadRow[] = await run.query(sql.headAndStored, [streamId, events.map((event) => event.id)]);
  const head: Head = { version: 0, hash: GENESIS_HASH, stored: new Map() };
  for (const row of rows) {
    if (row.event_id === null) {
      head.version = row.stream_version;
      head.hash = row.hash ?? GENESIS_HASH;
    } else if (row.stream_id !== streamId) {
      throw new EventIdConflictError(row.event_id, streamId, row.stream_id);
    } else {
      head.stored.set(row.event_id, row.stream_version);
    }
  }
  return head;
}

/**
 * The expected version is checked against the head, except that events of this same batch found
 * already stored right after the expected version count as ours: a retry of a batch that was
 * partly stored before (or extended since) is not a conflict.
 */
function checkExpected(streamId: string, expected: ExpectedVersion, head: Head): void {
  if (expected === 'any') return;
  const base = expected === 'no_stream' ? 0 : expected;
  if (!Number.isInteger(base) || base < 0) throw new RangeError(`expectedVersion must be a non-negative integer, 'any' or 'no_stream'`);
  if (head.version === base) return;
  const ours = [...head.stored.values()].sort((a, b) => a - b);
  const oursFollowBase = ours.length === head.version - base && ours.every((version, i) => version === base + i + 1);
  if (!oursFollowBase) throw new ConcurrencyError(streamId, expected, head.version);
}

/**
 * Inside the caller's transaction a failed statement would poison the whole transaction, so the
 * INSERT runs under a savepoint: on a conflict the caller's transaction stays usable and the next
 * attempt can look at the head again and say precisely what happened.
 */
async function insertGuarded(
  run: Runner,
  inTransaction: boolean,
  sql: Statements,
  streamId: string,
  head: Head,
  fresh: PreparedEvent[],
): Promise<StoredEvent[]> {
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

async function insert(run: Runner, sql: Statements, streamId: string, head: Head, fresh: PreparedEvent[]): Promise<StoredEvent[]> {
  const n = fresh.length;
  const versions = new Array<number>(n);
  const prevHashes = new Array<string>(n);
  const hashes = new Array<string>(n);
  let prev = head.hash;
  for (let i = 0; i < n; i++) {
    const event = fresh[i];
    const streamVersion = head.version + i + 1;
    const canonical = canonicalEvent({ ...event, streamId, streamVersion }, event.payloadJson, event.metadataJson);
    versions[i] = streamVersion;
    prevHashes[i] = prev;
    hashes[i] = prev = chainHash(prev, canonical);
  }
  const rows: InsertedRow[] = await run.query(sql.insert, [
    streamId,
    fresh.map((event) => event.id),
    versions,
    fresh.map((event) => event.type),
    fresh.map((event) => event.schemaVersion),
    fresh.map((event) => event.occurredAtIso),
    `[${fresh.map((event) => event.payloadJson).join(',')}]`,
    `[${fresh.map((event) => event.metadataJson).join(',')}]`,
    prevHashes,
    hashes,
    versions[n - 1],
    hashes[n - 1],
  ]);
  // RETURNING order is not promised by SQL; match rows back by version.
  const byVersion = new Map(rows.map((row) => [row.stream_version, row]));
  return fresh.map((event, i) => {
    const row = byVersion.get(versions[i]);
    if (!row) throw new Error(`stream ${streamId}: version ${versions[i]} missing from INSERT ... RETURNING`);
    return {
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      occurredAt: event.occurredAt,
      payload: event.payload,
      metadata: event.metadata,
      streamId,
      streamVersion: versions[i],
      globalPosition: row.global_position,
      transactionId: row.transaction_id,
      recordedAt: row.recorded_at,
      hash: hashes[i],
    };
  });
}
