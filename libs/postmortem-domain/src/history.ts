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
}

/** A stored event's fields, as the log hands them out; the edge maps StoredEvent to this. */
export interface StoredLike {
  type: string;
  streamVersion: number;
  occurredAt: Date | string;
  payload: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** StoredEvent -> HistoryEvent: event time from the payload's own `at` when it has one. */
export function historyEvent(e: StoredLike): HistoryEvent {
  const at = typeof e.payload['at'] === 'string' && !Number.isNaN(Date.parse(e.payload['at'])) ? e.payload['at'] : e.occurredAt;
  const actor = [e.payload['actor'], e.metadata?.['actor']].find((a): a is string => typeof a === 'string' && a.length > 0);
  return {
    type: e.type,
    version: e.streamVersion,
    at: new Date(at).toISOString(),
    payload: e.payload,
    ...(actor ? { actor } : {}),
  };
}

/** The incident state, folded from the events the incident domain knows; others are passed over. */
export function foldHistory(history: readonly HistoryEvent[]): IncidentState {
  let state: IncidentState = initialIncident;
  for (const e of history) {
    if (isIncidentEventType(e.type)) state = evolveIncident(state, { type: e.type, data: e.payload } as IncidentEvent);
  }
  return state;
}

/** The events of the history known to the incident domain, typed. */
export function incidentEventsOf(history: readonly HistoryEvent[]): (HistoryEvent & { event: IncidentEvent })[] {
  return history.flatMap((e) => (isIncidentEventType(e.type) ? [{ ...e, event: { type: e.type, data: e.payload } as IncidentEvent }] : []));
}
