import { CliError, ExitCode } from '../cli/exit-codes';
import type { Log } from '../cli/database';
import type { StreamLeaf } from './merkle';

export interface LogDigest {
  snapshot: string;
  eventCount: number;
  lastGlobalPosition: string | null;
  streams: StreamLeaf[];
}

/**
 * Every stream's last version and hash, in one snapshot, with the snapshot itself: that is what
 * a later `verify --against` uses to tell the events the checkpoint covered from those written
 * after it. Taken after a full verify, so the heads it reads are known to end their chains; the
 * counts are still held against each other here, since the log keeps moving in between.
 */
export function digestLog(log: Log): Promise<LogDigest> {
  return log.dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    const [{ snapshot }]: { snapshot: string }[] = await manager.query('SELECT pg_current_snapshot()::text AS snapshot');
    const rows: { stream: string; version: number; hash: string | null }[] = await manager.query(
      `SELECT h.stream_id AS stream, h.version, e.hash
         FROM ${log.s}.streams h LEFT JOIN ${log.s}.events e ON e.stream_id = h.stream_id AND e.stream_version = h.version`,
    );
    const [{ n, last }]: { n: string; last: string | null }[] = await manager.query(
      `SELECT count(*) AS n, max(global_position)::text AS last FROM ${log.s}.events`,
    );
    const headless = rows.find((row) => row.hash === null);
    if (headless) throw inconsistent(`stream ${headless.stream} has a head at version ${headless.version} but no event there`);
    const headTotal = rows.reduce((sum, row) => sum + row.version, 0);
    if (headTotal !== Number(n)) throw inconsistent(`the stream heads add up to ${headTotal} events, the log holds ${n}`);
    return {
      snapshot,
      eventCount: Number(n),
      lastGlobalPosition: last,
      streams: rows.map((row) => ({ stream: row.stream, version: row.version, hash: row.hash as string })),
    };
  });
}

function inconsistent(what: string): CliError {
  return new CliError(ExitCode.failed, `not signing a checkpoint of an inconsistent log: ${what} (run "incidentctl verify")`);
}
