import type { DataSource, EntityManager } from 'typeorm';
import type { ManyStatements } from './append-many-sql';
import { ConcurrencyError, EventIdConflictError, InvalidEventError } from './errors';
import { canonicalEventText, chainHash, GENESIS_HASH } from './hash-chain';
import type { HeadCache } from './head-cache';
import { prepareEvents, type PreparedEvent } from './prepare';
import { type Db, db } from './row-query';
import { sqlState, UNIQUE_VIOLATION } from './sql';
import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent } from './types';

/** One stream's part of an appendMany: what `append(streamId, events, { expectedVersion })` takes. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedVersion: ExpectedVersion;
}

export interface AppendManyOptions {
  /** Join the caller's transaction; without one, appendMany runs a transaction of its own. */
  manager?: EntityManager;
}

export interface AppendManyContext {
  dataSource: DataSource;
  sql: ManyStatements;
  heads: HeadCache;
}

interface Planned {
  streamId: string;
  expected: ExpectedVersion;
  events: PreparedEvent[];
  version: number;
  hash: string;
  /** event id -> version, for ids of this append already stored in this stream (when looked up). */
  stored: Map<string, number>;
}

const SAVEPOINT = 'event_store_append_many';
// A lost race to create a stream is settled by the next attempt (the stream then exists and is
// locked); each attempt can only lose to streams that did not exist at the previous one.
const MAX_ATTEMPTS = 4;

/**
 * Appends to many streams in one transaction with a constant number of statements, whatever
 * the number of streams: lock the existing heads, (only when a head is not where its caller
 * expected it) look the ids up, then one INSERT of every event plus every new head. Per stream,
 * the answer and the guarantees are append()'s: idempotence by event id (the duplicates are
 * reported per stream), the same hash chain, ConcurrencyError for a stream that moved on,
 * EventIdConflictError for an id stored in another stream. All or nothing: when any stream
 * fails, nothing is stored. Results come back in the order of `appends`.
 */
export async function appendMany(
  ctx: AppendManyContext,
  appends: readonly StreamAppend[],
  opts: AppendManyOptions = {},
): Promise<AppendResult[]> {
  const planned = plan(appends);
  if (planned.length === 0) return [];
  if (opts.manager?.queryRunner?.isTransactionActive === true) return attempts(ctx, db(ctx.dataSource, opts.manager), planned);
  return ctx.dataSource.transaction((manager) => attempts(ctx, db(ctx.dataSource, manager), planned));
}

/**
 * Validates and serialises every event before the first round trip. A stream named twice, or an
 * id given for two streams, is the caller's mistake: one append per stream, one stream per id.
 */
function plan(appends: readonly StreamAppend[]): Planned[] {
  const streams = new Set<string>();
  const ids = new Map<string, string>();
  return appends.map(({ streamId, events, expectedVersion }, i) => {
    if (streams.has(streamId)) throw new InvalidEventError(`append ${i}: stream ${streamId} appears twice in one appendMany`);
    streams.add(streamId);
    const prepared = prepareEvents(streamId, events);
    for (const { id } of prepared) {
      const other = ids.get(id);
      if (other !== undefined) throw new InvalidEventError(`append ${i}: id ${id} is given for streams ${other} and ${streamId}`);
      ids.set(id, streamId);
    }
    return { streamId, expected: expectedVersion, events: prepared, version: 0, hash: GENESIS_HASH, stored: new Map() };
  });
}

async function attempts(ctx: AppendManyContext, run: Db, planned: Planned[]): Promise<AppendResult[]> {
  // Locks and inserts go in stream-id order; results go back in the caller's order.
  const sorted = [...planned].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  let lookUpAll = false;
  for (let attempt = 1; ; attempt++) {
    await readHeads(run, ctx.sql, sorted);
    await readStored(run, ctx.sql, sorted.filter((p) => lookUpAll || !isExpected(p)));
    const results = new Map(sorted.map((p) => [p.streamId, unchanged(p)]));
    const fresh = sorted.map((p) => ({ p, fresh: freshEvents(p) })).filter((f) => f.fresh.length > 0);
    if (fresh.length === 0) return planned.map((p) => results.get(p.streamId) as AppendResult);
    await run.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const stored = await insert(run, ctx.sql, fresh);
      await run.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      for (const [streamId, result] of stored) {
        results.set(streamId, result);
        const last = result.appended[result.appended.length - 1];
        ctx.heads.set(streamId, { version: last.streamVersion, hash: last.hash });
      }
      return planned.map((p) => results.get(p.streamId) as AppendResult);
    } catch (error) {
      await run.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      // An id stored elsewhere, or a stream created by another writer since its head was read.
      if (attempt >= MAX_ATTEMPTS) throw conflictOf(error, sorted);
      lookUpAll = true;
    }
  }
}

async function readHeads(run: Db, sql: ManyStatements, sorted: Planned[]): Promise<void> {
  const rows = await run.prepared<{ stream_id: string; version: number; last_hash: string }>(sql.names.lockHeads, sql.lockHeads, [
    sorted.map((p) => p.streamId),
  ]);
  const heads = new Map(rows.map((row) => [row.stream_id, row]));
  for (const p of sorted) {
    const head = heads.get(p.streamId);
    p.version = head?.version ?? 0;
    p.hash = head?.last_hash ?? GENESIS_HASH;
    p.stored = new Map();
  }
}

/** Which of these streams' ids are stored already: a retry of an earlier append, or a bug. */
async function readStored(run: Db, sql: ManyStatements, streams: Planned[]): Promise<void> {
  const ids = streams.flatMap((p) => p.events.map((e) => e.id));
  if (ids.length === 0) return;
  const byStream = new Map(streams.map((p) => [p.streamId, p]));
  const owner = new Map(streams.flatMap((p) => p.events.map((e) => [e.id, p.streamId] as const)));
  const rows = await run.query<{ event_id: string; stream_id: string; stream_version: number }>(sql.stored, [`{${ids.join(',')}}`]);
  for (const row of rows) {
    const streamId = owner.get(row.event_id) as string;
    if (row.stream_id !== streamId) throw new EventIdConflictError(row.event_id, streamId, row.stream_id);
    byStream.get(streamId)?.stored.set(row.event_id, row.stream_version);
  }
}

function isExpected(p: Planned): boolean {
  return p.expected === 'any' || p.version === (p.expected === 'no_stream' ? 0 : p.expected);
}

function unchanged(p: Planned): AppendResult {
  const duplicates = p.events.filter((e) => p.stored.has(e.id)).map((e) => e.id);
  return { streamId: p.streamId, nextExpectedVersion: p.version, appended: [], duplicates };
}

/** The events still to store; throws append()'s ConcurrencyError for a stream that moved on. */
function freshEvents(p: Planned): PreparedEvent[] {
  const fresh = p.events.filter((e) => !p.stored.has(e.id));
  // Everything already stored: a retry, whatever the stream did since.
  if (p.events.length > 0 && fresh.length === 0) return fresh;
  checkExpected(p);
  return fresh;
}

/**
 * As append's check: the head must be at the expected version, except that events of this same
 * append found stored right after the expected version count as ours (a partly stored retry).
 */
function checkExpected(p: Planned): void {
  if (p.expected === 'any') return;
  const base = p.expected === 'no_stream' ? 0 : p.expected;
  if (!Number.isInteger(base) || base < 0) throw new RangeError(`expectedVersion must be a non-negative integer, 'any' or 'no_stream'`);
  if (p.version === base) return;
  const ours = [...p.stored.values()].sort((a, b) => a - b);
  const oursFollowBase = ours.length === p.version - base && ours.every((version, i) => version === base + i + 1);
  if (!oursFollowBase) throw new ConcurrencyError(p.streamId, p.expected, p.version);
}

/** Names the stream whose version was taken (from the constraint's detail) when it can. */
function conflictOf(error: unknown, sorted: Planned[]): ConcurrencyError {
  const detail = (error as { driverError?: { detail?: unknown }; detail?: unknown }).driverError?.detail ?? (error as { detail?: unknown }).detail;
  const match = typeof detail === 'string' ? /\(stream_id, stream_version\)=\((.*), \d+\)/.exec(detail) : null;
  const p = sorted.find((q) => q.streamId === match?.[1]) ?? sorted[0];
  return new ConcurrencyError(p.streamId, p.expected, p.version);
}

interface InsertedRow {
  positions: string[] | null;
  transaction_id: string;
  recorded_at: Date;
}

async function insert(run: Db, sql: ManyStatements, streams: { p: Planned; fresh: PreparedEvent[] }[]): Promise<Map<string, AppendResult>> {
  const chained = streams.map(({ p, fresh }) => chain(p, fresh));
  const rows = chained.flat();
  const [row] = await run.prepared<InsertedRow>(sql.names.insertMany, sql.insertMany, [
    `{${rows.map((r) => r.event.id).join(',')}}`,
    JSON.stringify(rows.map((r) => r.streamId)),
    `{${rows.map((r) => r.streamVersion).join(',')}}`,
    JSON.stringify(rows.map((r) => r.event.type)),
    `{${rows.map((r) => r.event.schemaVersion).join(',')}}`,
    `{${rows.map((r) => r.event.occurredAtIso).join(',')}}`,
    `[${rows.map((r) => r.event.payloadJson).join(',')}]`,
    `[${rows.map((r) => r.event.metadataJson).join(',')}]`,
    `{${rows.map((r) => r.prevHash).join(',')}}`,
    `{${rows.map((r) => r.hash).join(',')}}`,
    JSON.stringify(streams.map(({ p }) => p.streamId)),
    `{${streams.map(({ p, fresh }) => p.version + fresh.length).join(',')}}`,
    `{${chained.map((c) => c[c.length - 1].hash).join(',')}}`,
  ]);
  const positions = row?.positions ?? [];
  if (positions.length !== rows.length) throw new Error(`appendMany: the INSERT reported ${positions.length} rows for ${rows.length} events`);
  const recordedAt = row.recorded_at.getTime();
  const results = new Map<string, AppendResult>();
  rows.forEach((r, i) => {
    const stored: StoredEvent = {
      id: r.event.id,
      type: r.event.type,
      schemaVersion: r.event.schemaVersion,
      occurredAt: r.event.occurredAt,
      payload: r.event.payload,
      metadata: r.event.metadata,
      streamId: r.streamId,
      streamVersion: r.streamVersion,
      globalPosition: positions[i],
      transactionId: row.transaction_id,
      recordedAt: new Date(recordedAt),
      hash: r.hash,
    };
    const result = results.get(r.streamId) ?? { ...unchanged(r.p), appended: [] };
    result.appended.push(stored);
    result.nextExpectedVersion = r.streamVersion;
    results.set(r.streamId, result);
  });
  return results;
}

interface ChainedRow {
  p: Planned;
  streamId: string;
  event: PreparedEvent;
  streamVersion: number;
  prevHash: string;
  hash: string;
}

/** The stream's new events chained onto its head, exactly as append() chains them. */
function chain(p: Planned, fresh: PreparedEvent[]): ChainedRow[] {
  let prev = p.hash;
  return fresh.map((event, i) => {
    const streamVersion = p.version + i + 1;
    const canonical = canonicalEventText(
      { id: event.id, streamId: p.streamId, streamVersion, type: event.type, schemaVersion: event.schemaVersion },
      event.occurredAtIso,
      event.payloadJson,
      event.metadataJson,
    );
    const row = { p, streamId: p.streamId, event, streamVersion, prevHash: prev, hash: chainHash(prev, canonical) };
    prev = row.hash;
    return row;
  });
}
