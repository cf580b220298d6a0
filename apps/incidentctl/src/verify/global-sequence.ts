import type { EntityManager } from 'typeorm';
import type { Log } from '../cli/database';
import type { Progress } from '../output/progress';
import type { Broken } from './report';

export interface SequenceFacts {
  events: number;
  streams: number;
  firstPosition: string | null;
  lastPosition: string | null;
  /** Positions in first..last that no event holds: a rolled-back or conflicting append takes a number too. */
  unusedPositions: number;
  /** Whether the role could read the sequence to bound the positions (incident_reader cannot). */
  sequenceBounded: boolean;
}

export type SequenceResult = { ok: true; facts: SequenceFacts } | { ok: false; broken: Broken };

const PAGE = 20_000;
const CHECK = 'global sequence';

/**
 * The log read the way its followers read it (the relay, the projections): by global position.
 * In one snapshot it checks that every stream's events are versions 1..head exactly once, that
 * every event holds a position of its own, and that every position belongs to a committed
 * transaction, since readers deliver by (transaction id, position) and would never reach a row
 * whose transaction id was forged. The hash chain does not cover positions or transaction ids.
 */
export async function checkGlobalSequence(log: Log, streamId: string | undefined, progress: Progress): Promise<SequenceResult> {
  return log.dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    const versions = await checkVersions(log, manager, streamId);
    if (versions) return { ok: false, broken: versions };
    const walked = await walkPositions(log, manager, streamId, progress);
    if ('broken' in walked) return { ok: false, broken: walked.broken };
    const bound = await sequenceBound(log, manager, walked.lastPosition);
    if (bound.broken) return { ok: false, broken: bound.broken };
    return { ok: true, facts: { ...walked, sequenceBounded: bound.bounded } };
  });
}

interface CountRow {
  stream_id: string;
  n: string | null;
  top: number | null;
  head: number | null;
}

/** Streams whose events are not exactly versions 1..head: the first one, in stream order. */
async function checkVersions(log: Log, manager: EntityManager, streamId?: string): Promise<Broken | undefined> {
  const only = streamId === undefined ? '' : 'WHERE stream_id = $1';
  const [row]: CountRow[] = await manager.query(
    `WITH counted AS (SELECT stream_id, count(*) AS n, max(stream_version) AS top FROM ${log.s}.events ${only} GROUP BY stream_id),
          heads AS (SELECT stream_id, version AS head FROM ${log.s}.streams ${only})
     SELECT stream_id, c.n, c.top, h.head FROM counted c FULL JOIN heads h USING (stream_id)
      WHERE c.n IS DISTINCT FROM h.head::bigint OR c.top IS DISTINCT FROM h.head
      ORDER BY stream_id LIMIT 1`,
    streamId === undefined ? [] : [streamId],
  );
  if (!row) return undefined;
  const at = (version: number, globalPosition: string | null, reason: string): Broken => ({ check: CHECK, streamId: row.stream_id, streamVersion: version, globalPosition, reason });
  if (row.head === null) return at(1, null, `${row.n} events but no stream head: the stream was never appended to`);
  if (row.n === null) return at(1, null, `the head says version ${row.head} but the stream has no events`);
  const [dup]: { v: number; p: string }[] = await manager.query(
    `SELECT stream_version AS v, min(global_position)::text AS p FROM ${log.s}.events WHERE stream_id = $1 GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1`,
    [row.stream_id],
  );
  if (dup) return at(dup.v, dup.p, `version ${dup.v} is held by more than one event`);
  const [gap]: { v: number }[] = await manager.query(
    `SELECT v FROM generate_series(1, $2::int) v WHERE NOT EXISTS (SELECT FROM ${log.s}.events e WHERE e.stream_id = $1 AND e.stream_version = v) ORDER BY v LIMIT 1`,
    [row.stream_id, Math.max(row.head, row.top ?? 0)],
  );
  if (gap) return at(gap.v, null, `version ${gap.v} is missing (the head is at version ${row.head}, the events reach ${row.top})`);
  return at(row.head + 1, null, `events go on past the head (version ${row.head}) to version ${row.top}`);
}

interface PositionRow {
  p: string;
  stream_id: string;
  v: number;
  x: string;
  deliverable: boolean;
}

type Walked = Omit<SequenceFacts, 'sequenceBounded' | 'streams'> & { streams: number };

async function walkPositions(log: Log, manager: EntityManager, streamId: string | undefined, progress: Progress): Promise<Walked | { broken: Broken }> {
  const [{ events, streams }]: { events: string; streams: string }[] = await manager.query(
    `SELECT (SELECT count(*) FROM ${log.s}.events ${streamId === undefined ? '' : 'WHERE stream_id = $1'}) AS events,
            (SELECT count(*) FROM ${log.s}.streams ${streamId === undefined ? '' : 'WHERE stream_id = $1'}) AS streams`,
    streamId === undefined ? [] : [streamId],
  );
  const total = Number(events);
  let seen = 0;
  let first: bigint | null = null;
  let last: bigint | null = null;
  for (;;) {
    const rows: PositionRow[] = await manager.query(
      `SELECT global_position::text AS p, stream_id, stream_version AS v, transaction_id::text AS x,
              pg_visible_in_snapshot(transaction_id, pg_current_snapshot()) AS deliverable
         FROM ${log.s}.events WHERE global_position > $1::bigint ${streamId === undefined ? '' : 'AND stream_id = $3'}
        ORDER BY global_position LIMIT $2`,
      streamId === undefined ? [String(last ?? 0n), PAGE] : [String(last ?? 0n), PAGE, streamId],
    );
    for (const row of rows) {
      const position = BigInt(row.p);
      if (last !== null && position <= last) {
        return { broken: { check: CHECK, streamId: row.stream_id, streamVersion: row.v, globalPosition: row.p, reason: `global position ${row.p} is held by more than one event` } };
      }
      if (!row.deliverable) {
        const reason =
          `transaction id ${row.x} is not that of a committed transaction: readers that follow the log by (transaction id, position) ` +
          'would never deliver this event (forged, or the log was restored into a cluster whose transaction counter is behind it)';
        return { broken: { check: CHECK, streamId: row.stream_id, streamVersion: row.v, globalPosition: row.p, reason } };
      }
      first ??= position;
      last = position;
    }
    seen += rows.length;
    progress.update(seen, total);
    if (rows.length < PAGE) break;
  }
  const span = first === null || last === null ? 0 : Number(last - first + 1n);
  return { events: seen, streams: Number(streams), firstPosition: first?.toString() ?? null, lastPosition: last?.toString() ?? null, unusedPositions: span - seen };
}

/** A position past what the sequence ever handed out was not written by an append. */
async function sequenceBound(log: Log, manager: EntityManager, lastPosition: string | null): Promise<{ bounded: boolean; broken?: Broken }> {
  const [row]: { last_value: string | null }[] = await manager.query(
    `SELECT last_value::text FROM pg_sequences WHERE schemaname = $1 AND sequencename = 'events_global_position_seq'`,
    [log.schema],
  );
  // pg_sequences shows NULL to a role without USAGE or SELECT on the sequence (incident_reader).
  if (!row || row.last_value === null || lastPosition === null) return { bounded: false };
  if (BigInt(lastPosition) <= BigInt(row.last_value)) return { bounded: true };
  const [e]: { stream_id: string; v: number; p: string }[] = await manager.query(
    `SELECT stream_id, stream_version AS v, global_position::text AS p FROM ${log.s}.events WHERE global_position > $1::bigint ORDER BY global_position LIMIT 1`,
    [row.last_value],
  );
  const reason = `global position is beyond the last one the sequence handed out (${row.last_value}): the row was not written by an append`;
  return { bounded: true, broken: { check: CHECK, streamId: e.stream_id, streamVersion: e.v, globalPosition: e.p, reason } };
}
