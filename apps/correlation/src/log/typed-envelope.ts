import { type EventEnvelope, EventEnvelopeSchema, upcastPayload } from '@incident/contracts';
import type { z } from 'zod';

export type TypedMessage<T> =
  | { kind: 'handled'; envelope: EventEnvelope; payload: T }
  /** Another event type on the same topic: not this handler's business. */
  | { kind: 'other'; envelope: EventEnvelope };

/**
 * A message schema that validates the envelope and, for the one event type a handler acts on,
 * its payload too, as `version` (an older version is read through the contracts' upcasts): a
 * malformed event fails parsing and goes straight to the dead-letter topic (the same bytes would
 * fail every retry), and the handler receives typed data.
 */
export function typedEnvelope<T>(type: string, payloadSchema: z.ZodType<T>, version = 1) {
  return EventEnvelopeSchema.transform((envelope, ctx): TypedMessage<T> => {
    if (envelope.type !== type) return { kind: 'other', envelope };
    const read = envelope.schemaVersion <= version ? upcastPayload(type, envelope.schemaVersion, envelope.payload) : undefined;
    if (read?.schemaVersion !== version) {
      ctx.addIssue({ code: 'custom', path: ['schemaVersion'], message: `${type} v${envelope.schemaVersion} is not known here` });
      return { kind: 'other', envelope };
    }
    const payload = payloadSchema.safeParse(read.payload);
    if (!payload.success) {
      for (const issue of payload.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path.map(String)], message: issue.message });
      }
      return { kind: 'other', envelope };
    }
    return { kind: 'handled', envelope, payload: payload.data };
  });
}
