import type { EntityManager } from 'typeorm';
import type { Log } from '../cli/database';
import type { Broken } from '../verify/report';
import type { CheckpointBody } from './document';

export interface Growth {
  events: number;
  newStreams: number;
  lastGlobalPosition: string | null;
}

export type CoverageResult = { ok: true; growth: Growth } | { ok: false; broken: Broken };

const CHECK = 'checkpoint coverage';

/**
 * Proves the log still extends the checkpoint: every stream it lists still has that hash at that
 * version (with the chains verified, that fixes every event before it too), and the events whose
 * transactions the checkpoint's snapshot shows committed are exactly the ones it counted: nothing
 * removed from its range, nothing slipped into it. Events written after it are growth, not change.
 */
export function checkCoverage(log: Log, cp: CheckpointBody): Promise<CoverageResult> {
  return log.dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    const changed = await changedLeaf(log, manager, cp);
    if (changed) return { ok: false, broken: changed };
    const slipped = await coveredRange(log, manager, cp);
    if (slipped) return { ok: false, broken: slipped };
    const [now]: { n: string; streams: string; last: string | null }[] = await manager.query(
      `SELECT (SELECT count(*) FROM ${log.s}.events) AS n, (SELECT count(*) FROM ${log.s}.streams) AS streams,
              (SELECT max(global_position)::text FROM ${log.s}.events) AS last`,
    );
    return { ok: true, growth: { events: Number(now.n) - cp.eventCount, newStreams: Number(now.streams) - cp.streamCount, lastGlobalPosition: now.last } };
  });
}

const CHUNK = 20_000;

async function changedLeaf(log: Log, manager: EntityManager, cp: CheckpointBody): Promise<Broken | undefined> {
  for (let i = 0; i < cp.streams.length; i += CHUNK) {
    const [row]: { stream: string; version: number; hash: string; actual: string | null; p: string | null; top: number | null }[] = await manager.query(
      `SELECT l.stream, l.version, l.hash, e.hash AS actual, e.global_position::text AS p,
              (SELECT max(stream_version) FROM ${log.s}.events x WHERE x.stream_id = l.stream) AS top
         FROM jsonb_to_recordset($1::jsonb) AS l(stream text, version int, hash text)
         LEFT JOIN ${log.s}.events e ON e.stream_id = l.stream AND e.stream_version = l.version
        WHERE e.hash IS DISTINCT FROM l.hash
        ORDER BY l.stream LIMIT 1`,
      [JSON.stringify(cp.streams.slice(i, i + CHUNK))],
    );
    if (!row) continue;
    const reason =
      row.actual === null
        ? row.top === null
          ? `the stream is gone: the checkpoint has it at version ${row.version}`
          : `version ${row.version} is gone: the stream now ends at version ${row.top}`
        : `the hash at version ${row.version} is now ${row.actual.slice(0, 16)}…, the checkpoint has ${row.hash.slice(0, 16)}…: an event at or before this version was changed, removed or inserted`;
    return { check: CHECK, streamId: row.stream, streamVersion: row.version, globalPosition: row.p, reason };
  }
  return undefined;
}

/** Per stream, the events the checkpoint's snapshot shows committed, held against what it counted. */
async function coveredRange(log: Log, manager: EntityManager, cp: CheckpointBody): Promise<Broken | undefined> {
  const rows: { stream_id: string; n: number; top: number; last: string }[] = await manager.query(
    `SELECT stream_id, count(*)::int AS n, max(stream_version) AS top, max(global_position)::text AS last
       FROM ${log.s}.events WHERE pg_visible_in_snapshot(transaction_id, $1::pg_snapshot) GROUP BY stream_id`,
    [cp.snapshot],
  );
  const leaves = new Map(cp.streams.map((leaf) => [leaf.stream, leaf.version]));
  let last = -1n;
  for (const row of rows) {
    const version = leaves.get(row.stream_id);
    if (version === undefined || row.top > version) return slippedIn(log, manager, cp, row.stream_id, version ?? 0);
    if (row.n !== version) {
      return { check: CHECK, streamId: row.stream_id, streamVersion: version, globalPosition: null, reason: `only ${row.n} of its ${version} covered events still carry a transaction the checkpoint saw committed: transaction ids were rewritten` };
    }
    leaves.delete(row.stream_id);
    if (BigInt(row.last) > last) last = BigInt(row.last);
  }
  const [gone] = leaves;
  if (gone) return { check: CHECK, streamId: gone[0], streamVersion: 1, globalPosition: null, reason: 'none of its covered events carries a transaction the checkpoint saw committed any more' };
  if (cp.lastGlobalPosition !== null && last !== BigInt(cp.lastGlobalPosition)) {
    return { check: CHECK, streamId: '(log)', streamVersion: 0, globalPosition: last.toString(), reason: `the covered events now end at global position ${last}, the checkpoint says ${cp.lastGlobalPosition}: positions were rewritten` };
  }
  return undefined;
}

async function slippedIn(log: Log, manager: EntityManager, cp: CheckpointBody, streamId: string, covered: number): Promise<Broken> {
  const [e]: { v: number; p: string }[] = await manager.query(
    `SELECT stream_version AS v, global_position::text AS p FROM ${log.s}.events
      WHERE stream_id = $1 AND stream_version > $2 AND pg_visible_in_snapshot(transaction_id, $3::pg_snapshot)
      ORDER BY stream_version LIMIT 1`,
    [streamId, covered, cp.snapshot],
  );
  const what = covered === 0 ? 'the stream was not in the checkpoint' : `the checkpoint ends the stream at version ${covered}`;
  return { check: CHECK, streamId, streamVersion: e.v, globalPosition: e.p, reason: `${what}, yet this event carries a transaction it saw committed: inserted into the covered range` };
}
