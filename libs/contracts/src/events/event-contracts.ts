import { z } from 'zod';
import { EventEnvelopeSchema } from '../envelope';
import * as incident from './incident-events';
import * as postmortem from './postmortem-events';
import * as remediation from './remediation-events';
import { SIGNAL_CLASSIFIED, SignalClassifiedV1Schema, SignalClassifiedV2Schema } from './signal-classified';
import { SIGNAL_RECEIVED, SignalReceivedV1Schema, SignalReceivedV2Schema } from './signal-received';
import { TRAFFIC_SAMPLED, TrafficSampledV1Schema } from './traffic-sampled';
import { upcastPayload } from './upcasts';

/** One version of one event type's payload. */
export interface EventContract {
  type: string;
  version: number;
  schema: z.ZodType;
}

const v1 = (type: string, schema: z.ZodType): EventContract => ({ type, version: 1, schema });

/**
 * Every version of every event type the log holds, with the schema of its payload. What the
 * AsyncAPI document (docs/asyncapi.yaml) describes, what consumers validate with, and what the
 * domain libs' specs hold their deciders' events to. An older version stays listed as long as the
 * log may hold it: readers read it as the latest through PAYLOAD_UPCASTS.
 */
export const EVENT_CONTRACTS: readonly EventContract[] = [
  { type: SIGNAL_RECEIVED, version: 1, schema: SignalReceivedV1Schema },
  { type: SIGNAL_RECEIVED, version: 2, schema: SignalReceivedV2Schema },
  v1(TRAFFIC_SAMPLED, TrafficSampledV1Schema),
  { type: SIGNAL_CLASSIFIED, version: 1, schema: SignalClassifiedV1Schema },
  { type: SIGNAL_CLASSIFIED, version: 2, schema: SignalClassifiedV2Schema },
  ...Object.entries({
    ...incident.INCIDENT_PAYLOADS_V1,
    ...incident.CORRELATION_PAYLOADS_V1,
    ...remediation.REMEDIATION_PAYLOADS_V1,
    ...remediation.CIRCUIT_BREAKER_PAYLOADS_V1,
    ...postmortem.POSTMORTEM_PAYLOADS_V1,
  }).map(([type, schema]) => v1(type, schema)),
];

/** The contract of one version of a type; undefined when the contracts know no such thing. */
export function eventContract(type: string, version: number): EventContract | undefined {
  return EVENT_CONTRACTS.find((c) => c.type === type && c.version === version);
}

/** The version writers write today: the highest listed. */
export function latestEventContract(type: string): EventContract | undefined {
  return EVENT_CONTRACTS.filter((c) => c.type === type).reduce<EventContract | undefined>((a, c) => (a && a.version > c.version ? a : c), undefined);
}

/**
 * The envelope, and the payload of every event type the contracts know, read as its latest version
 * (through the upcasts) and held to that version's schema. A consumer that parses with it sends a
 * malformed event straight to the dead-letter topic, naming the field, instead of failing on it
 * later. A type the contracts do not know passes as it is: a newer writer's event is not the
 * consumer's to reject (the relay refuses to publish a type it has no route for anyway).
 */
export const ContractEnvelopeSchema = EventEnvelopeSchema.superRefine((envelope, ctx) => {
  const latest = latestEventContract(envelope.type);
  if (!latest) return;
  if (!eventContract(envelope.type, envelope.schemaVersion)) {
    ctx.addIssue({ code: 'custom', path: ['schemaVersion'], message: `${envelope.type} v${envelope.schemaVersion} is not known here (latest: v${latest.version})` });
    return;
  }
  const read = upcastPayload(envelope.type, envelope.schemaVersion, envelope.payload);
  const parsed = latest.schema.safeParse(read.payload);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path.map(String)], message: `${envelope.type} v${latest.version}: ${issue.message}` });
  }
});
