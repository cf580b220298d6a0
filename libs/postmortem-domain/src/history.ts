import { evolveIncident, type IncidentEvent, type IncidentState, initialIncident, isIncidentEventType } from '@incident/incident-domain';

/**
 * One event of an incident's stream, as the postmortem reads it. Not the domain's IncidentEvent:
 * other services add their own types to the stream (remediation steps, escalations) and the
 * postmortem must show those too, so every stored event comes in, known or not.
 */
export interface HistoryEvent {
  type: string;
  /** Stream version, 1-based: the order the log recorded the events in. */
  version: number;
  /** Event time (ISO-8601): the payload's `at`, else when the event occurred. */
  at: string;
  payload: Readonly<Record<string, unknown>>;
  /** Who or what decided: the payload's `actor`, else the metadata's, else the service that wrote it. */
  actor?: string;
  /**
   * The stream, when the history merges another one into the incident's (the remediation
   * service records its runs in `remediation-<incidentId>`); absent for the incident's own.
   */
  stream?: string;
}

/** A stored event's fields, as the log hands them out; the edge maps StoredEvent to this. */
export interface StoredLike {
  streamId?: string;
  type: string;
  streamVersion: number;
  occurredAt: Date | string;
  payload: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/**
 * StoredEvent -> HistoryEvent: event time from the payload's own `at` when it has one. Events of
 * a stream other than the incident's keep their stream id, so they never count as its versions.
 */
export function historyEvent(e: StoredLike): HistoryEvent {
  const at = typeof e.payload['at'] === 'string' && !Number.isNaN(Date.parse(e.payload['at'])) ? e.payload['at'] : e.occurredAt;
  const actor = [e.payload['actor'], e.metadata?.['actor']].find((a): a is string => typeof a === 'string' && a.length > 0);
  return {
    type: e.type,
    version: e.streamVersion,
    at: new Date(at).toISOString(),
    payload: e.payload,
    ...(actor ? { actor } : {}),
    ...(e.streamId && !e.streamId.startsWith('incident-') ? { stream: e.streamId } : {}),
  };
}

/** The incident's own events and those of other streams about it, in event-time order (the incident's first on ties). */
export function mergeHistories(incident: readonly HistoryEvent[], ...others: (readonly HistoryEvent[])[]): HistoryEvent[] {
  return [...incident, ...others.flat()].sort(byEventTime);
}

export function byEventTime(a: Pick<HistoryEvent, 'at' | 'stream' | 'version'>, b: Pick<HistoryEvent, 'at' | 'stream' | 'version'>): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if ((a.stream ?? '') !== (b.stream ?? '')) return (a.stream ?? '') < (b.stream ?? '') ? -1 : 1;
  return a.version - b.version;
}

/** The incident state, folded from the events the incident domain knows; others are passed over. */
export function foldHistory(history: readonly HistoryEvent[]): IncidentState {
  let state: IncidentState = initialIncident;
  for (const e of [...history].filter((h) => h.stream === undefined).sort((a, b) => a.version - b.version)) {
    if (isIncidentEventType(e.type)) state = evolveIncident(state, { type: e.type, data: e.payload } as IncidentEvent);
  }
  return state;
}

/** The events of the history known to the incident domain, typed. */
export function incidentEventsOf(history: readonly HistoryEvent[]): (HistoryEvent & { event: IncidentEvent })[] {
  return history.flatMap((e) => (e.stream === undefined && isIncidentEventType(e.type) ? [{ ...e, event: { type: e.type, data: e.payload } as IncidentEvent }] : []));
}
