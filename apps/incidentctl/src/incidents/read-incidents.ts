import { Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { type IncidentView, incidentIdOf, incidentView } from '@incident/incident-api';
import type { Log } from '../cli/database';
import type { Progress } from '../output/progress';
import { mapConcurrent } from './filter';

/** Streams read at once; the command opens as many connections. */
const CONCURRENCY = 8;

/**
 * Every incident folded from its own stream: the log is the truth, the read model only a cache of
 * it, so the list an auditor gets cannot be staler than the log. The stream heads table names the
 * incident streams without scanning every event.
 */
export async function foldAllIncidents(log: Log, progress: Progress): Promise<IncidentView[]> {
  const rows: { stream_id: string }[] = await log.dataSource.query(
    `SELECT stream_id FROM ${log.s}.streams WHERE stream_id LIKE 'incident-%' ORDER BY stream_id`,
  );
  const ids = rows.map((row) => incidentIdOf(row.stream_id)).filter((id): id is string => id !== undefined);
  let done = 0;
  const views = await mapConcurrent(ids, CONCURRENCY, async (id) => {
    const view = incidentView(await log.store.readStream(Streams.incident(id)));
    progress.update(++done, ids.length);
    return view;
  });
  return views.filter((view): view is IncidentView => view !== undefined);
}

export interface AsOf {
  at?: Date;
  version?: number;
}

/** The incident's events up to then (recorded at or before `at`, up to `version`: whichever is earlier). */
export function readIncident(log: Log, id: string, asOf: AsOf = {}): Promise<StoredEvent[]> {
  return log.store.readStream(Streams.incident(id), { asOf: asOf.at, toVersion: asOf.version });
}

/** Whether the incident's stream has any event at all, to tell "not yet" from "never". */
export async function incidentExists(log: Log, id: string): Promise<boolean> {
  return (await log.store.readStream(Streams.incident(id), { toVersion: 1 })).length > 0;
}
