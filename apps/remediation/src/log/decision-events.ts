import { deterministicUuid } from '@incident/contracts';
import type { EventMetadata, NewEvent } from '@incident/event-store';

export const ACTOR = 'remediation';

/** The event a decision reacts to: an incident event, a recorded timer, the last step's outcome. */
export interface Cause {
  eventId: string;
  metadata: EventMetadata;
}

/** Every domain event this service appends carries its own event time as `at`. */
export interface TimedEvent {
  type: string;
  data: { at: string };
}

/**
 * The id of the `index`-th event a cause produced in one stream: a redelivered message, or a retry
 * after a crash between append and offset commit, decides under the same ids, stored once.
 */
export function decisionEventId(causeId: string, streamId: string, index: number): string {
  return deterministicUuid('remediation', `${causeId}/${streamId}/${index}`);
}

/** Causation is the cause; correlation id and W3C trace context carry over from it. */
export function metadataFor(cause: Cause, actor = ACTOR): EventMetadata {
  const text = (key: string) => {
    const value = cause.metadata[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    causationId: cause.eventId,
    correlationId: text('correlationId') ?? cause.eventId,
    ...(text('traceparent') ? { traceparent: text('traceparent') } : {}),
    ...(text('tracestate') ? { tracestate: text('tracestate') } : {}),
    actor,
  };
}

/** Domain events -> events to append, each at its own event time. */
export function toNewEvents(streamId: string, events: readonly TimedEvent[], cause: Cause): NewEvent[] {
  const metadata = metadataFor(cause);
  return events.map((event, index) => ({
    id: decisionEventId(cause.eventId, streamId, index),
    type: event.type,
    schemaVersion: 1,
    occurredAt: new Date(event.data.at),
    payload: { ...event.data },
    metadata,
  }));
}
