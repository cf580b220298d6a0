import { EventEnvelopeSchema, type EventEnvelope, SeveritySchema } from '@incident/contracts';
import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The incident events remediation reacts to, with the fields its decisions read. */
export type IncidentMessage =
  | { kind: 'opened'; incidentId: string; envelope: EventEnvelope; at: string; severity: z.infer<typeof SeveritySchema> }
  | { kind: 'severity-changed'; incidentId: string; envelope: EventEnvelope; at: string; from: z.infer<typeof SeveritySchema>; to: z.infer<typeof SeveritySchema> }
  | { kind: 'acknowledged' | 'resolved'; incidentId: string; envelope: EventEnvelope; at: string }
  /** Signals attached, notes, our own deadlines...: not remediation's business. */
  | { kind: 'other'; envelope: EventEnvelope };

const at = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());
const Opened = z.object({ at, severity: SeveritySchema });
const Changed = z.object({ at, from: SeveritySchema, to: SeveritySchema });
const Timed = z.object({ at });

/**
 * The envelope, and for the four types acted on, the payload fields read: a malformed one fails
 * parsing and goes to the dead-letter topic (the same bytes would fail every retry).
 */
export const IncidentMessageSchema = EventEnvelopeSchema.transform((envelope, ctx): IncidentMessage => {
  const incidentId = envelope.streamId.startsWith('incident-') ? envelope.streamId.slice('incident-'.length) : '';
  const parse = <T>(schema: z.ZodType<T>): T | undefined => {
    if (!UUID.test(incidentId)) {
      ctx.addIssue({ code: 'custom', path: ['streamId'], message: `${envelope.type} on a stream that is not an incident's: ${envelope.streamId}` });
      return undefined;
    }
    const parsed = schema.safeParse(envelope.payload);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path.map(String)], message: issue.message });
    return undefined;
  };
  const other: IncidentMessage = { kind: 'other', envelope };
  switch (envelope.type) {
    case 'IncidentOpened': {
      const p = parse(Opened);
      return p ? { kind: 'opened', incidentId, envelope, ...p } : other;
    }
    case 'SeverityChanged': {
      const p = parse(Changed);
      return p ? { kind: 'severity-changed', incidentId, envelope, ...p } : other;
    }
    case 'IncidentAcknowledged':
    case 'IncidentResolved': {
      const p = parse(Timed);
      return p ? { kind: envelope.type === 'IncidentAcknowledged' ? 'acknowledged' : 'resolved', incidentId, envelope, ...p } : other;
    }
    default:
      return other;
  }
});
