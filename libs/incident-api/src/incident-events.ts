import type { StoredEvent } from '@incident/event-store';
import type { IncidentEvent, IncidentEventType } from '@incident/incident-domain';

const STREAM_PREFIX = 'incident-';
// Canonical (lower-case) uuids only: stream ids are compared as text, and PostgreSQL's uuid type
// hands ids back in lower case, so the list's ids must name the very streams the state is read from.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// A Record over the union, so a new incident event type fails to compile here until it is mapped.
const KNOWN: Record<IncidentEventType, true> = {
  IncidentOpened: true,
  SignalAttached: true,
  ErrorRateMeasured: true,
  SeverityChanged: true,
  ResolveTimerScheduled: true,
  IncidentResolved: true,
  IncidentAcknowledged: true,
  NoteAdded: true,
  ResponseStatusChanged: true,
  RootCauseRecorded: true,
  ActionItemAdded: true,
  ActionItemCompleted: true,
  AcknowledgementDeadlineScheduled: true,
  IncidentEscalated: true,
};

/** Every type toIncidentEvent maps: what the projection asks the log for. */
export const INCIDENT_EVENT_TYPES: readonly string[] = Object.keys(KNOWN);

export function isIncidentId(value: string): boolean {
  return UUID.test(value);
}

/** The incident id of an `incident-<uuid>` stream (Streams.incident), or undefined for any other stream. */
export function incidentIdOf(streamId: string): string | undefined {
  if (!streamId.startsWith(STREAM_PREFIX)) return undefined;
  const id = streamId.slice(STREAM_PREFIX.length);
  return isIncidentId(id) ? id : undefined;
}

/**
 * A stored event as the domain's IncidentEvent: the log keeps the domain event's `type` as its
 * type and its `data` as the payload. Undefined for types this code does not know (responder
 * events added later): readers skip them rather than fail, as a projection must never jam.
 */
export function toIncidentEvent(stored: Pick<StoredEvent, 'type' | 'payload'>): IncidentEvent | undefined {
  if (!Object.hasOwn(KNOWN, stored.type)) return undefined;
  return { type: stored.type, data: stored.payload } as IncidentEvent;
}
