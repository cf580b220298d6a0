import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, canonicalEvent, chainHash } from './hash-chain';
import type { EventRow } from './rows';
import type { Runner } from './sql';
import type { Statements } from './statements';
import type { VerifyResult } from './types';

type Failure = Extract<VerifyResult, { ok: false }>;
interface ChainRow extends EventRow {
  prev_hash: string;
}
interface HeadRow {
  stream_id: string;
  version: number;
  last_hash: string;
}
/** Where the walk through one stream has got to. */
interface Walk {
  streamId: string;
  nextVersion: number;
  prevHash: string;
  lastPosition: bigint;
}

const PAGE = 5000;

/**
 * Walks every stream (or one) in (stream_id, stream_version) order, recomputing each event's hash
 * from its fields, and holds the end of each chain against the stream head. Finds a changed event
 * (its hash no longer matches), a removed one (a version gap, or a chain that stops short of its
 * head), an inserted one (past the head, or before positions of later versions) and a stream with
 * no events or no head. Reports the first problem in stream order.
 */
export async function verifyLog(run: Runner, sql: Statements, streamId?: string): Promise<VerifyResult> {
  let streamsChecked = 0;
  let eventsChecked = 0;
  let walk: Walk | undefined;
  let heads = new Map<string, HeadRow>();
  let after: [string, number] = [streamId ?? '', 0];
  for (;;) {
    const rows: ChainRow[] = streamId
      ? await run.query(sql.verifyStreamPage, [streamId, after[1], PAGE])
      : await run.query(sql.verifyPage, [after[0], after[1], PAGE]);
    heads = await loadHeads(run, sql, rows, walk ? heads.get(walk.streamId) : undefined);
    for (const row of rows) {
      if (walk?.streamId !== row.stream_id) {
        const failure = walk && checkHead(walk, heads.get(walk.streamId));
        if (failure) return failure;
        if (walk) streamsChecked++;
        walk = { streamId: row.stream_id, nextVersion: 1, prevHash: GENESIS_HASH, lastPosition: -1n };
      }
      const failure = checkEvent(walk, row);
      if (failure) return failure;
      eventsChecked++;
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = [last.stream_id, last.stream_version];
  }
  const failure = walk && checkHead(walk, heads.get(walk.streamId));
  if (failure) return failure;
  if (walk) streamsChecked++;
  const headless: { stream_id: string; version: number }[] = await run.query(sql.headlessStreams, [streamId ?? null]);
  if (headless.length > 0) {
    const [head] = headless;
    return fail(head.stream_id, 1, `the stream head says version ${head.version} but the stream has no events`);
  }
  return { ok: true, streamsChecked, eventsChecked };
}

function checkEvent(walk: Walk, row: ChainRow): Failure | undefined {
  const { streamId } = walk;
  if (row.stream_version !== walk.nextVersion) {
    return fail(streamId, walk.nextVersion, `version ${walk.nextVersion} is missing: the next stored version is ${row.stream_version}`);
  }
  if (row.prev_hash !== walk.prevHash) {
    return fail(streamId, row.stream_version, `prev_hash does not link to the hash of version ${row.stream_version - 1}`);
  }
  const canonical = canonicalEvent(
    {
      id: row.event_id,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      type: row.type,
      schemaVersion: row.schema_version,
      occurredAt: row.occurred_at,
      payload: row.payload,
      metadata: row.metadata,
    },
    canonicalJson(row.payload),
    canonicalJson(row.metadata),
  );
  if (chainHash(row.prev_hash, canonical) !== row.hash) {
    return fail(streamId, row.stream_version, 'the event differs from what was hashed when it was appended');
  }
  const position = BigInt(row.global_position);
  // Versions are appended in order, so positions must rise with them; a row slipped in later can't.
  if (position <= walk.lastPosition) {
    return fail(streamId, row.stream_version, `global position ${position} is not after that of version ${row.stream_version - 1}`);
  }
  walk.nextVersion++;
  walk.prevHash = row.hash;
  walk.lastPosition = position;
  return undefined;
}

function checkHead(walk: Walk, head: HeadRow | undefined): Failure | undefined {
  const last = walk.nextVersion - 1;
  if (!head) return fail(walk.streamId, 1, 'the stream has events but no stream head');
  if (head.version > last) {
    return fail(walk.streamId, last + 1, `events ${last + 1}..${head.version} are missing: the stream head says version ${head.version}`);
  }
  if (head.version < last) {
    return fail(walk.streamId, head.version + 1, `events after version ${head.version} were not appended through the log: the stream head says version ${head.version}`);
  }
  if (head.last_hash !== walk.prevHash) {
    return fail(walk.streamId, last, 'the hash of the last event differs from the one recorded in the stream head');
  }
  return undefined;
}

/** Heads for the streams on this page, plus the one still being walked from the previous page. */
async function loadHeads(run: Runner, sql: Statements, rows: ChainRow[], carried?: HeadRow): Promise<Map<string, HeadRow>> {
  const ids = [...new Set(rows.map((row) => row.stream_id))];
  const found: HeadRow[] = ids.length > 0 ? await run.query(sql.heads, [ids]) : [];
  const heads = new Map(found.map((head) => [head.stream_id, head]));
  if (carried && !heads.has(carried.stream_id)) heads.set(carried.stream_id, carried);
  return heads;
}

function fail(streamId: string, streamVersion: number, reason: string): Failure {
  return { ok: false, streamId, streamVersion, reason };
}
