import { CheckpointStore } from '@incident/event-store';
import { IncidentProjection } from '@incident/incident-api';
import type { Log } from '../cli/database';
import type { Progress } from '../output/progress';

export interface RebuildResult {
  projection: string;
  eventsRead: number;
  batches: number;
  /** Rows of the read model after the rebuild, and the incidents the log holds: they must match. */
  incidents: number;
  incidentsInLog: number;
  /** Committed events the projection could not read yet: past the horizon a running transaction holds. */
  eventsAboveHorizon: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface RebuildOptions {
  batchSize: number;
  /** How long to wait for a transaction elsewhere that holds the log's read horizon back. */
  horizonWaitMs: number;
  /** One-off remarks for stderr (why the rebuild is waiting). */
  notice?: (text: string) => void;
}

// An incident is a stream `incident-<lower-case uuid>` with an IncidentOpened: what the projection keeps.
const INCIDENT_STREAM = '^incident-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const CATCH_UP_ROUNDS = 3;
const POLL_MS = 250;

/**
 * Empties the incidents read model and rewinds its checkpoint (IncidentProjection.rebuild), then
 * runs the projection's own batches until it has caught up with the log. Running replicas of the
 * services' projector take turns with it on the projection's advisory lock, so nothing is applied
 * twice. The count is then held against the log. Two things can make them differ for a while:
 * writes that land meanwhile (caught up with once more), and the read horizon: whole-log readers
 * stop below the oldest transaction still running anywhere in the cluster (see the event store's
 * readAll), so one long transaction holds the rebuild back until it ends or `horizonWaitMs` passes.
 */
export async function rebuildIncidents(log: Log, opts: RebuildOptions, progress: Progress): Promise<RebuildResult> {
  const projection = new IncidentProjection(log.dataSource, log.store, new CheckpointStore(log.dataSource), { batchSize: opts.batchSize });
  const [{ n }]: { n: string }[] = await log.dataSource.query(`SELECT count(*) AS n FROM ${log.s}.events`);
  const total = Number(n);
  const started = Date.now();
  await projection.rebuild();
  let eventsRead = 0;
  let batches = 0;
  let counts = { incidents: 0, incidentsInLog: 0 };
  let held = 0;
  let waitingSince: number | undefined;
  let noticed = false;
  for (let round = 1; ; round++) {
    for (;;) {
      const outcome = await projection.runBatch();
      if (outcome === 'busy') {
        await sleep(20);
        continue;
      }
      if (outcome.read === 0) break;
      eventsRead += outcome.read;
      batches++;
      progress.update(eventsRead, Math.max(total, eventsRead));
    }
    counts = await countIncidents(log);
    held = await eventsAboveHorizon(log);
    if (counts.incidents === counts.incidentsInLog) break;
    if (held === 0 && round >= CATCH_UP_ROUNDS) break;
    if (held > 0) {
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince >= opts.horizonWaitMs) break;
      if (!noticed) {
        noticed = true;
        opts.notice?.(`${held} committed events lie past the read horizon, held back by a transaction still open elsewhere in the cluster; waiting up to ${Math.round(opts.horizonWaitMs / 1000)} s for it`);
      }
      await sleep(POLL_MS);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  return { projection: 'incidents', eventsRead, batches, ...counts, eventsAboveHorizon: held, seconds, eventsPerSecond: Math.round(eventsRead / seconds) };
}

/** Committed events no whole-log reader can see yet (see statements.ts readAll in the event store). */
async function eventsAboveHorizon(log: Log): Promise<number> {
  const [{ held }]: { held: string }[] = await log.dataSource.query(
    `SELECT count(*) AS held FROM ${log.s}.events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`,
  );
  return Number(held);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function countIncidents(log: Log): Promise<{ incidents: number; incidentsInLog: number }> {
  // From the stream heads, one index probe per incident stream, rather than a scan of every event.
  const [row]: { projected: string; in_log: string }[] = await log.dataSource.query(
    `SELECT (SELECT count(*) FROM ${log.s}.incidents) AS projected,
            (SELECT count(*) FROM ${log.s}.streams h
              WHERE h.stream_id ~ $1
                AND EXISTS (SELECT FROM ${log.s}.events e WHERE e.stream_id = h.stream_id AND e.type = 'IncidentOpened')) AS in_log`,
    [INCIDENT_STREAM],
  );
  return { incidents: Number(row.projected), incidentsInLog: Number(row.in_log) };
}
