import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyError, EventIdConflictError } from './errors';
import { GENESIS_HASH } from './hash-chain';
import type { HeadCache, KnownHead } from './head-cache';
import { insertGuarded } from './insert';
import { prepareEvents, type PreparedEvent } from './prepare';
import { type Db, db } from './row-query';
import { UNIQUE_VIOLATION, sqlState } from './sql';
import type { Statements } from './statements';
import type { AppendResult, ExpectedVersion, NewEvent } from './types';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Join the caller's transaction: the events commit or roll back with the caller's other writes. */
  manager?: EntityManager;
}

export interface Head extends KnownHead {
  /** event id -> version, for ids of this append already stored in this stream. */
  stored: Map<string, number>;
}

interface HeadRow {
  event_id: string | null;
  stream_id: string;
  stream_version: number;
  hash: string | null;
}

// After a lost race one more look at the head settles an expected version: the events are now
// stored (a racing duplicate) or the stream moved (a conflict). 'any' just tries again on top; every
// lost race means another writer got through, so it ends, but it may take one try per rival.
const MAX_ATTEMPTS = 4;
const MAX_ATTEMPTS_ANY = 50;

export interface AppendContext {
  dataSource: DataSource;
  sql: Statements;
  heads: HeadCache;
}

/**
 * Optimistic append. The INSERT is a single statement and so atomic on its own; it stores nothing
 * unless the head the hashes were chained to is still the stream's head, and the unique
 * constraints on (stream_id, stream_version) and event_id decide any race: of two writers at the
 * same expected version one INSERT fails and stores nothing.
 * The head comes from the cache when it matches the expected version (or the stream is new),
 * so the usual append is one round trip; otherwise, or when that guess was stale, it is read.
 * Looking the batch's ids up costs an index probe per event, so it waits until something is off:
 * the head is not where the caller expected (a retry of a stored batch?) or the INSERT hit a
 * unique constraint (a racing duplicate, or a rival writer).
 */
export async function append(
  ctx: AppendContext,
  streamId: string,
  events: readonly NewEvent[],
  opts: AppendOptions,
): Promise<AppendResult> {
  const { sql, heads } = ctx;
  const prepared = prepareEvents(streamId, events);
  const inTransaction = opts.manager?.queryRunner?.isTransactionActive === true;
  const run = db(ctx.dataSource, opts.manager);
  const maxAttempts =
    opts.expectedVersion === 'any' ? MAX_ATTEMPTS_ANY : MAX_ATTEMPTS;
  let guess = guessHead(heads, streamId, opts.expectedVersion);
  let lookUpIds = false;
  for (let attempt = 1; ; attempt++) {
    const head: Head = guess
      ? { ...guess, stored: new Map() }
      : await readHead(run, sql, streamId, lookUpIds ? prepared : undefined);
    if (!guess) heads.set(streamId, { version: head.version, hash: head.hash });
    guess = undefined;
    if (!lookUpIds && !isExpected(opts.expectedVersion, head)) {
      lookUpIds = true;
      continue;
    }
    const fresh = prepared.filter((event) => !head.stored.has(event.id));
    const duplicates = prepared
      .filter((event) => head.stored.has(event.id))
      .map((event) => event.id);
    const unchanged = {
      streamId,
      nextExpectedVersion: head.version,
      appended: [],
      duplicates,
    };
    if (prepared.length > 0 && fresh.length === 0) return unchanged;
    checkExpected(streamId, opts.expectedVersion, head);
    if (fresh.length === 0) return unchanged;
    try {
      const appended = await insertGuarded(
        run,
        inTransaction,
        sql,
        streamId,
        head,
        fresh,
      );
      if (!appended) continue; // the head moved since it was last seen: read it
      const last = appended[appended.length - 1];
      heads.set(streamId, { version: last.streamVersion, hash: last.hash });
      return {
        streamId,
        nextExpectedVersion: last.streamVersion,
        appended,
        duplicates,
      };
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      if (attempt >= maxAttempts)
        throw new ConcurrencyError(
          streamId,
          opts.expectedVersion,
          head.version,
        );
      lookUpIds = true;
    }
  }
}

/** A new stream's head is known; any other only if cached at the expected version ('any': any). */
function guessHead(
  heads: HeadCache,
  streamId: string,
  expected: ExpectedVersion,
): KnownHead | undefined {
  if (expected === 'no_stream' || expected === 0)
    return { version: 0, hash: GENESIS_HASH };
  const cached = heads.get(streamId);
  return cached && (expected === 'any' || cached.version === expected)
    ? cached
    : undefined;
}

/** The stream head, plus (when `events` are given) which of their ids are already stored. */
async function readHead(
  run: Db,
  sql: Statements,
  streamId: string,
  events?: PreparedEvent[],
): Promise<Head> {
  const rows: HeadRow[] = events
    ? await run.query<HeadRow>(sql.headAndStored, [
        streamId,
        events.map((event) => event.id),
      ])
    : await run.prepared<HeadRow>(sql.names.head, sql.head, [streamId]);
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

function isExpected(expected: ExpectedVersion, head: Head): boolean {
  return (
    expected === 'any' ||
    head.version === (expected === 'no_stream' ? 0 : expected)
  );
}

/**
 * The expected version is checked against the head, except that events of this same batch found
 * already stored right after the expected version count as ours: a retry of a batch that was
 * partly stored before (or extended since) is not a conflict.
 */
function checkExpected(
  streamId: string,
  expected: ExpectedVersion,
  head: Head,
): void {
  if (expected === 'any') return;
  const base = expected === 'no_stream' ? 0 : expected;
  if (!Number.isInteger(base) || base < 0)
    throw new RangeError(
      `expectedVersion must be a non-negative integer, 'any' or 'no_stream'`,
    );
  if (head.version === base) return;
  const ours = [...head.stored.values()].sort((a, b) => a - b);
  const oursFollowBase =
    ours.length === head.version - base &&
    ours.every((version, i) => version === base + i + 1);
  if (!oursFollowBase)
    throw new ConcurrencyError(streamId, expected, head.version);
}
