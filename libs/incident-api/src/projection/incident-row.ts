import type { IncidentEvent } from '@incident/incident-domain';

/** One row of the `incidents` read model. Times are ISO-8601 UTC with milliseconds. */
export interface IncidentRow {
  id: string;
  title: string;
  type: string;
  source: string;
  fingerprint: string;
  status: string;
  severity: string;
  openedAt: string;
  resolvedAt: string | null;
  signalCount: number;
  affectedUsers: number;
  errorRate: number | null;
  lastSeenAt: string;
  /** Stream version of the last event applied: the guard that makes a replayed event a no-op. */
  version: number;
}

/** An incident event as the projection sees it: which incident, at which stream version. */
export interface ProjectedEvent {
  incidentId: string;
  streamVersion: number;
  /** Fallback time for an event whose own `at` cannot be read. */
  occurredAt: string;
  event: IncidentEvent;
}

/**
 * The row after one event, mirroring evolveIncident (incident-domain) for the columns the list
 * shows. `newUser` says whether a SignalAttached's user is one the incident has not counted yet:
 * distinct counting needs the set of users, which lives in its own table, not in this function.
 * Returns the row unchanged for an event at or below its version (a replay), and undefined while
 * there is no row, because an event before IncidentOpened is ignored, as the fold ignores it.
 */
export function applyIncidentEvent(row: IncidentRow | undefined, e: ProjectedEvent, newUser = false): IncidentRow | undefined {
  if (row && e.streamVersion <= row.version) return row;
  const event = e.event;
  const at = (value: string | undefined) => isoTime(value, e.occurredAt);
  if (event.type === 'IncidentOpened') {
    const d = event.data;
    return {
      id: e.incidentId, title: d.title, type: d.incidentType, source: d.source, fingerprint: d.fingerprint,
      status: 'open', severity: d.severity, openedAt: at(d.at), resolvedAt: null,
      signalCount: 0, affectedUsers: 0, errorRate: null, lastSeenAt: at(d.at), version: e.streamVersion,
    };
  }
  if (!row) return undefined;
  const version = e.streamVersion;
  switch (event.type) {
    case 'SignalAttached': {
      const seen = at(event.data.at);
      return {
        ...row, version,
        signalCount: row.signalCount + 1,
        affectedUsers: row.affectedUsers + (event.data.userId && newUser ? 1 : 0),
        lastSeenAt: seen > row.lastSeenAt ? seen : row.lastSeenAt,
      };
    }
    case 'ErrorRateMeasured':
      return { ...row, version, errorRate: event.data.errorRate };
    case 'SeverityChanged':
      return { ...row, version, severity: event.data.to };
    case 'ResolveTimerScheduled':
    case 'IncidentAcknowledged':
    case 'NoteAdded':
    case 'ResponseStatusChanged':
    case 'RootCauseRecorded':
    case 'ActionItemAdded':
    case 'ActionItemCompleted':
    case 'AcknowledgementDeadlineScheduled':
    case 'IncidentEscalated':
      // Not list columns: the row only moves its version (the state endpoint folds them).
      return { ...row, version };
    case 'IncidentResolved':
      return { ...row, version, status: 'resolved', resolvedAt: at(event.data.at) };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * Applies a batch in log order and returns only the rows it changed. `unclaimedUsers` holds the
 * `userKey`s that are new to incident_users in this batch; each is taken at its first use, so a
 * user seen twice in one batch counts once.
 */
export function applyBatch(
  rows: ReadonlyMap<string, IncidentRow>,
  events: readonly ProjectedEvent[],
  unclaimedUsers: ReadonlySet<string>,
): Map<string, IncidentRow> {
  const current = new Map(rows);
  const unclaimed = new Set(unclaimedUsers);
  const changed = new Map<string, IncidentRow>();
  for (const e of events) {
    const user = e.event.type === 'SignalAttached' ? e.event.data.userId : undefined;
    const newUser = user !== undefined && unclaimed.delete(userKey(e.incidentId, user));
    const before = current.get(e.incidentId);
    const after = applyIncidentEvent(before, e, newUser);
    if (after && after !== before) {
      current.set(e.incidentId, after);
      changed.set(e.incidentId, after);
    }
  }
  return changed;
}

/**
 * The (incident, user) pairs a batch would count, skipping events its rows have already seen:
 * the projector inserts these into incident_users and counts only those the insert reports new.
 */
export function usersToClaim(rows: ReadonlyMap<string, IncidentRow>, events: readonly ProjectedEvent[]): { incidentId: string; userId: string }[] {
  const pairs = new Map<string, { incidentId: string; userId: string }>();
  for (const e of events) {
    if (e.event.type !== 'SignalAttached' || !e.event.data.userId) continue;
    if (e.streamVersion <= (rows.get(e.incidentId)?.version ?? 0)) continue;
    pairs.set(userKey(e.incidentId, e.event.data.userId), { incidentId: e.incidentId, userId: e.event.data.userId });
  }
  return [...pairs.values()];
}

export function userKey(incidentId: string, userId: string): string {
  return `${incidentId}\u0000${userId}`;
}

/** Event times are ISO strings written by the domain; normalised so the column and the cursor agree. */
function isoTime(value: string | undefined, fallback: string): string {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}
