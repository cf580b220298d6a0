import { type RuleSet, signalClassifiedId, signalClassifiedPayload } from '@incident/classification';
import {
  type EventEnvelope,
  SIGNAL_CLASSIFIED,
  SIGNAL_CLASSIFIED_VERSION,
  type SignalClassifiedV2,
  type SignalReceivedV2,
  Streams,
} from '@incident/contracts';
import type { EventMetadata, NewEvent } from '@incident/event-store';

export const ACTOR = 'classifier';

// The decision itself lives in the classification lib, shared with `incidentctl replay`.
export { signalClassifiedId };

/**
 * SignalReceived -> the SignalClassified (v2) event to append to `classification-<fingerprint>`.
 * Pure: the rule set and the received event are all it reads.
 */
export function toSignalClassified(
  received: { envelope: EventEnvelope; payload: SignalReceivedV2 },
  ruleSet: RuleSet,
): { streamId: string; event: NewEvent; payload: SignalClassifiedV2 } {
  const payload = signalClassifiedPayload(received.payload, received.envelope.occurredAt, ruleSet);
  return {
    streamId: Streams.classification(payload.classification.fingerprint),
    payload,
    event: {
      id: signalClassifiedId(received.envelope.id, payload.classification.ruleSetVersion),
      type: SIGNAL_CLASSIFIED,
      schemaVersion: SIGNAL_CLASSIFIED_VERSION,
      occurredAt: new Date(payload.at),
      payload,
      metadata: metadataFrom(received.envelope),
    },
  };
}

/** Causation is the event reacted to; correlation and trace context carry over from it. */
export function metadataFrom(cause: EventEnvelope): EventMetadata {
  const m = cause.metadata;
  const text = (key: string) => (typeof m[key] === 'string' && m[key] !== '' ? (m[key] as string) : undefined);
  return {
    causationId: cause.id,
    // A chain that started without a correlation id gets the id of its first event.
    correlationId: text('correlationId') ?? cause.id,
    ...(text('traceparent') ? { traceparent: text('traceparent') } : {}),
    ...(text('tracestate') ? { tracestate: text('tracestate') } : {}),
    actor: ACTOR,
  };
}
