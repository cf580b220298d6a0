import type { EventMetadata, NewEvent, StoredEvent } from '@incident/event-store';
import { type CorrelationEvent, decisionEventId, type IncidentEvent, isIncidentEventType } from '@incident/incident-domain';

export const ACTOR = 'correlation';

/** The event a decision reacts to: a SignalClassified, a TrafficSampled or a recorded timer. */
export interface Cause {
  eventId: string;
  metadata: EventMetadata;
}

// The ids of a decision's events: shared with `incidentctl replay` (incident-domain).
export { decisionEventId };

/** Causation is the cause; correlation id and W3C trace context carry over from it. */
export function metadataFor(cause: Cause): EventMetadata {
  const text = (key: string) => {
    const value = cause.metadata[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    causationId: cause.eventId,
    correlationId: text('correlationId') ?? cause.eventId,
    ...(text('traceparent') ? { traceparent: text('traceparent') } : {}),
    ...(text('tracestate') ? { tracestate: text('tracestate') } : {}),
    actor: ACTOR,
  };
}

/** Domain events -> events to append; each keeps its own event time as occurredAt. */
export function toNewEvents(streamId: string, events: readonly (IncidentEvent | CorrelationEvent)[], cause: Cause): NewEvent[] {
  const metadata = metadataFor(cause);
  return events.map((event, index) => ({
    id: decisionEventId(cause.eventId, streamId, index),
    type: event.type,
    schemaVersion: 1,
    occurredAt: new Date(event.type === 'FailureObserved' ? event.data.signal.at : event.data.at),
    payload: { ...event.data },
    metadata,
  }));
}

const CORRELATION_EVENT_TYPES: ReadonlySet<string> = new Set<CorrelationEvent['type']>(['FailureObserved', 'IncidentLinked']);

/**
 * Stored -> domain event, or undefined for a type the incident fold does not know. Responder
 * events are folded too: an incident a person resolved is resolved for correlation as well.
 */
export function asIncidentEvent(stored: StoredEvent): IncidentEvent | undefined {
  return isIncidentEventType(stored.type) ? ({ type: stored.type, data: stored.payload } as IncidentEvent) : undefined;
}

export function asCorrelationEvent(stored: StoredEvent): CorrelationEvent | undefined {
  return CORRELATION_EVENT_TYPES.has(stored.type) ? ({ type: stored.type, data: stored.payload } as CorrelationEvent) : undefined;
}
