import type { DataSource } from 'typeorm';
import {
  type ChainRow,
  type HeadRow,
  type Walk,
  checkEvent,
  checkHead,
  fail,
  toChainRow,
} from './chain-checks';
import { GENESIS_HASH } from './hash-chain';
import { queryRows } from './row-query';
import type { Statements } from './statements';
import type { VerifyResult } from './types';

const PAGE = 5000;

/**
 * Walks every stream (or one) in (stream_id, stream_version) order, recomputing each event's hash
 * from its fields, and holds the end of each chain against the stream head. Finds a changed event
 * (its hash no longer matches), a removed one (a version gap, or a chain that stops short of its
 * head), an inserted one (past the head, or before positions of later versions) and a stream with
 * no events or no head. Reports the first problem in stream order.
 */
export async function verifyLog(
  dataSource: DataSource,
  sql: Statements,
  streamId?: string,
): Promise<VerifyResult> {
  const run = dataSource.manager;
  let streamsChecked = 0;
  let eventsChecked = 0;
  let walk: Walk | undefined;
  let heads = new Map<string, HeadRow>();
  let after: [string, number] = [streamId ?? '', 0];
  for (;;) {
    const raw = streamId
      ? await queryRows(dataSource, undefined, sql.verifyStreamPage, [
          streamId,
          after[1],
          PAGE,
        ])
      : await queryRows(dataSource, undefined, sql.verifyPage, [
          after[0],
          after[1],
          PAGE,
        ]);
    const rows = raw.map(toChainRow);
    heads = await loadHeads(
      run,
      sql,
      rows,
      walk ? heads.get(walk.streamId) : undefined,
    );
    for (const row of rows) {
      if (walk?.streamId !== row.streamId) {
        const failure = walk && checkHead(walk, heads.get(walk.streamId));
        if (failure) return failure;
        if (walk) streamsChecked++;
        walk = {
          streamId: row.streamId,
          nextVersion: 1,
          prevHash: GENESIS_HASH,
          lastPosition: -1n,
        };
      }
      const failure = checkEvent(walk, row);
      if (failure) return failure;
      eventsChecked++;
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = [last.streamId, last.streamVersion];
  }
  const failure = walk && checkHead(walk, heads.get(walk.streamId));
  if (failure) return failure;
  if (walk) streamsChecked++;
  const headless: { stream_id: string; version: number }[] = await run.query(
    sql.headlessStreams,
    [streamId ?? null],
  );
  if (headless.length > 0) {
    const [head] = headless;
    return fail(
      head.stream_id,
      1,
      `the stream head says version ${head.version} but the stream has no events`,
    );
  }
  return { ok: true, streamsChecked, eventsChecked };
}

/** Heads for the streams on this page, plus the one still being walked from the previous page. */
async function loadHeads(
  run: DataSource['manager'],
  sql: Statements,
  rows: ChainRow[],
  carried?: HeadRow,
): Promise<Map<string, HeadRow>> {
  const ids = [...new Set(rows.map((row) => row.streamId))];
  const found: HeadRow[] =
    ids.length > 0 ? await run.query(sql.heads, [ids]) : [];
  const heads = new Map(found.map((head) => [head.stream_id, head]));
  if (carried && !heads.has(carried.stream_id))
    heads.set(carried.stream_id, carried);
  return heads;
}
