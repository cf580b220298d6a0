import { type EventEnvelope, EventEnvelopeSchema, SIGNAL_RECEIVED, SIGNAL_RECEIVED_VERSION, type SignalReceivedV2, SignalReceivedV2Schema, upcastPayload } from '@incident/contracts';

/** What the classifier makes of a message on the signals topic. */
export type SignalsMessage =
  | { kind: 'signal-received'; envelope: EventEnvelope; payload: SignalReceivedV2 }
  /** Other events share the topic (TrafficSampled): not the classifier's business. */
  | { kind: 'other'; envelope: EventEnvelope };

/**
 * Validates the envelope and, for SignalReceived, the payload too, so that a malformed signal
 * fails parsing and goes straight to the dead-letter topic instead of through handler retries.
 * An older version (v1, relayed before the upgrade) is read through the contracts' upcasts.
 */
export const SignalsMessageSchema = EventEnvelopeSchema.transform((envelope, ctx): SignalsMessage => {
  if (envelope.type !== SIGNAL_RECEIVED) return { kind: 'other', envelope };
  const read = envelope.schemaVersion <= SIGNAL_RECEIVED_VERSION ? upcastPayload(envelope.type, envelope.schemaVersion, envelope.payload) : undefined;
  if (read?.schemaVersion !== SIGNAL_RECEIVED_VERSION) {
    ctx.addIssue({ code: 'custom', path: ['schemaVersion'], message: `${SIGNAL_RECEIVED} v${envelope.schemaVersion} is not known here` });
    return { kind: 'other', envelope };
  }
  const payload = SignalReceivedV2Schema.safeParse(read.payload);
  if (!payload.success) {
    for (const issue of payload.error.issues) ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path.map(String)], message: issue.message });
    return { kind: 'other', envelope };
  }
  return { kind: 'signal-received', envelope, payload: payload.data };
});
