import { type EventEnvelope, EventEnvelopeSchema, SIGNAL_RECEIVED, type SignalReceivedV1, SignalReceivedV1Schema } from '@incident/contracts';

/** What the classifier makes of a message on the signals topic. */
export type SignalsMessage =
  | { kind: 'signal-received'; envelope: EventEnvelope; payload: SignalReceivedV1 }
  /** Other events share the topic (TrafficSampled): not the classifier's business. */
  | { kind: 'other'; envelope: EventEnvelope };

/**
 * Validates the envelope and, for SignalReceived, the payload too, so that a malformed signal
 * fails parsing and goes straight to the dead-letter topic instead of through handler retries.
 */
export const SignalsMessageSchema = EventEnvelopeSchema.transform((envelope, ctx): SignalsMessage => {
  if (envelope.type !== SIGNAL_RECEIVED) return { kind: 'other', envelope };
  if (envelope.schemaVersion !== 1) {
    ctx.addIssue({ code: 'custom', path: ['schemaVersion'], message: `${SIGNAL_RECEIVED} v${envelope.schemaVersion} is not known here` });
    return { kind: 'other', envelope };
  }
  const payload = SignalReceivedV1Schema.safeParse(envelope.payload);
  if (!payload.success) {
    for (const issue of payload.error.issues) ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path.map(String)], message: issue.message });
    return { kind: 'other', envelope };
  }
  return { kind: 'signal-received', envelope, payload: payload.data };
});
