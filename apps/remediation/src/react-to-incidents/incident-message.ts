import {
  EventEnvelopeSchema,
  type EventEnvelope,
  IncidentAcknowledgedV1Schema,
  IncidentOpenedV1Schema,
  IncidentResolvedV1Schema,
  type Severity,
  SeverityChangedV1Schema,
} from '@incident/contracts';
import type { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The incident events remediation reacts to, with the fields its decisions read. */
export type IncidentMessage =
  | { kind: 'opened'; incidentId: string; envelope: EventEnvelope; at: string; severity: Severity }
  | { kind: 'severity-changed'; incidentId: string; envelope: EventEnvelope; at: string; from: Severity; to: Severity }
  | { kind: 'acknowledged' | 'resolved'; incidentId: string; envelope: EventEnvelope; at: string }
  /** Signals attached, notes, our own deadlines...: not remediation's business. */
  | { kind: 'other'; envelope: EventEnvelope };

/** Event times as the decisions compare and record them: UTC, milliseconds. */
const iso = (t: string) => new Date(t).toISOString();

/**
 * The envelope, and for the four types acted on, the payload held to its contract (libs/contracts,
 * version 1): a malformed one fails parsing and goes to the dead-letter topic (the same bytes
 * would fail every retry). Other types are passed over unread.
 */
export const IncidentMessageSchema = EventEnvelopeSchema.transform((envelope, ctx): IncidentMessage => {
  const incidentId = envelope.streamId.startsWith('incident-') ? envelope.streamId.slice('incident-'.length) : '';
  const parse = <T>(schema: z.ZodType<T>): T | undefined => {
    if (!UUID.test(incidentId)) {
      ctx.addIssue({ code: 'custom', path: ['streamId'], message: `${envelope.type} on a stream that is not an incident's: ${envelope.streamId}` });
      return undefined;
    }
    if (envelope.schemaVersion !== 1) {
      ctx.addIssue({ code: 'custom', path: ['schemaVersion'], message: `${envelope.type} v${envelope.schemaVersion} is not known here (latest: v1)` });
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
      const p = parse(IncidentOpenedV1Schema);
      return p ? { kind: 'opened', incidentId, envelope, at: iso(p.at), severity: p.severity } : other;
    }
    case 'SeverityChanged': {
      const p = parse(SeverityChangedV1Schema);
      return p ? { kind: 'severity-changed', incidentId, envelope, at: iso(p.at), from: p.from, to: p.to } : other;
    }
    case 'IncidentAcknowledged': {
      const p = parse(IncidentAcknowledgedV1Schema);
      return p ? { kind: 'acknowledged', incidentId, envelope, at: iso(p.at) } : other;
    }
    case 'IncidentResolved': {
      const p = parse(IncidentResolvedV1Schema);
      return p ? { kind: 'resolved', incidentId, envelope, at: iso(p.at) } : other;
    }
    default:
      return other;
  }
});
