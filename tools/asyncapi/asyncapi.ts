// Builds docs/asyncapi.yaml (AsyncAPI 3.0) from the contracts: topics, keys (stream ids), headers,
// and JSON Schemas converted from the zod schemas producers and consumers validate with (every
// version of every event type, EVENT_CONTRACTS). Event types per topic come from the relay's route
// table, the one place that decides them.
import {
  DEFAULT_PARTITIONS,
  DeadLetterHeaders,
  EVENT_CONTRACTS,
  type EventContract,
  EventEnvelopeSchema,
  EventHeaders,
  latestEventContract,
  SignalSchema,
  Topics,
} from '@incident/contracts';
import { stringify } from 'yaml';
import { z } from 'zod';
import { ingestRouteTable } from '../../apps/ingest/src/relay/ingest-routes';

type Json = Record<string, unknown>;
const ref = (path: string) => ({ $ref: `#/components/${path}` });
const SAFE = Number.MAX_SAFE_INTEGER;

/** A zod schema as JSON Schema draft-07 (AsyncAPI's default schema format), trimmed for reading. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Json;
  return trim(rest) as Json;
}

// `format` says what a date-time or uuid is; zod's long equivalent patterns and the safe-integer
// bounds on every integer only make the document harder to read.
function trim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(trim);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'pattern' && ['date-time', 'date', 'uuid'].includes(String((node as Json)['format']))) continue;
    if ((k === 'maximum' && v === SAFE) || (k === 'minimum' && v === -SAFE)) continue;
    out[k] = trim(v);
  }
  return out;
}

/** What a topic's messages are keyed by: Kafka keeps order per key. */
const KEYS: Record<string, { description: string; pattern?: string }> = {
  signals: { description: 'The stream id: `signal-<sha256(signal id)[:32]>`.', pattern: '^signal-[0-9a-f]{32}$' },
  traffic: { description: '`source-<source>`: one source\'s samples in order.', pattern: '^source-.+$' },
  classifications: { description: "`classification-<fingerprint>`: every signal of one fingerprint reaches one correlation consumer, in order.", pattern: '^classification-.+$' },
  incidents: { description: '`incident-<incident uuid>`: an incident\'s events in order.', pattern: '^incident-[0-9a-f-]{36}$' },
  remediation: { description: '`remediation-<incident uuid>` (runs and steps) or `circuit-breaker-<dependency>`.', pattern: '^(remediation-[0-9a-f-]{36}|circuit-breaker-.+)$' },
  postmortems: { description: '`postmortem-<incident uuid>`.', pattern: '^postmortem-[0-9a-f-]{36}$' },
};

const CHANNELS: { id: keyof typeof Topics; description: string }[] = [
  { id: 'signals', description: 'Signals as recorded in the event log (SignalReceived), published by the relay after commit.' },
  { id: 'traffic', description: 'Traffic samples (TrafficSampled: requests and errors of a source over a window), published by the relay after commit. Until this topic existed they were on incidents.signals.v1.' },
  { id: 'classifications', description: "The classifier's decision for each signal (SignalClassified): incident type, fingerprint, rule and rule-set version." },
  { id: 'incidents', description: "Incident lifecycle: opened by correlation, responders' commands, acknowledgement deadlines and escalations." },
  { id: 'remediation', description: 'Runbook proposals, approvals, step attempts and their outcomes; circuit breakers.' },
  { id: 'postmortems', description: 'Postmortem drafts (a revision per change after resolution) and overdue flags.' },
];

/** The component schema of one version of a type's payload: `SignalReceivedV2`, `IncidentOpenedV1`. */
const schemaName = (c: EventContract) => `${c.type}V${c.version}`;
/** The message of one version: the type's name for the version written today, `<Type>V<n>` for older ones. */
const messageName = (c: EventContract) => (latestEventContract(c.type)?.version === c.version ? c.type : schemaName(c));

/** Every version of a routed type: the latest, and older ones the log (and so a topic replayed from the start) may still hold. */
function contractsOf(type: string): EventContract[] {
  const found = EVENT_CONTRACTS.filter((c) => c.type === type);
  if (found.length === 0) throw new Error(`${type} is routed to a topic but has no payload schema in libs/contracts (EVENT_CONTRACTS)`);
  return found;
}

function eventMessage(c: EventContract, channel: string): Json {
  const latest = latestEventContract(c.type) as EventContract;
  const summary =
    c.version === latest.version
      ? `${c.type} v${c.version}, in the log's envelope.`
      : `${c.type} v${c.version}: written before v${c.version + 1}, kept in the log as it was. Readers of libs/contracts read it as v${latest.version} (PAYLOAD_UPCASTS); others must accept both.`;
  return {
    name: c.type,
    title: `${c.type} v${c.version}`,
    summary,
    contentType: 'application/json',
    headers: {
      allOf: [
        ref('schemas/EventHeaders'),
        { type: 'object', properties: { [EventHeaders.eventType]: { const: c.type }, [EventHeaders.schemaVersion]: { const: String(c.version) } } },
      ],
    },
    payload: {
      allOf: [
        ref('schemas/EventEnvelope'),
        {
          type: 'object',
          properties: { type: { const: c.type }, schemaVersion: { const: c.version }, payload: ref(`schemas/${schemaName(c)}`) },
          required: ['type', 'schemaVersion', 'payload'],
        },
      ],
    },
    bindings: { kafka: { key: { type: 'string', ...KEYS[channel] }, bindingVersion: '0.5.0' } },
  };
}

function eventHeaders(): Json {
  const h = EventHeaders;
  return {
    type: 'object',
    description: 'Every relayed message repeats what a consumer needs to route, de-duplicate and trace without parsing the body.',
    properties: {
      [h.eventId]: { type: 'string', format: 'uuid', description: 'The event id: consumers de-duplicate by it (delivery is at least once).' },
      [h.eventType]: { type: 'string' },
      [h.schemaVersion]: { type: 'string', pattern: '^[1-9][0-9]*$' },
      [h.streamId]: { type: 'string', description: 'Same as the key.' },
      [h.streamPosition]: { type: 'string', pattern: '^[1-9][0-9]*$', description: "The event's version in its stream." },
      [h.globalPosition]: { type: 'string', pattern: '^[0-9]+$' },
      [h.traceparent]: { type: 'string', description: 'W3C trace context: continue this trace when handling the message.' },
      [h.tracestate]: { type: 'string' },
    },
    required: [h.eventId, h.eventType, h.schemaVersion, h.streamId, h.streamPosition, h.globalPosition],
  };
}

export function asyncApiDocument(): Json {
  const routes = ingestRouteTable(Topics);
  const typesOf = (topic: string) => Object.entries(routes).filter(([, t]) => t === topic).map(([type]) => type);
  const channels: Json = {
    signalIntake: {
      address: Topics.signalIntake,
      title: 'Signal intake',
      description:
        'Where other teams publish failure signals, as an alternative to POST /v1/signals. One message is one signal: a JSON signal, or a structured-mode CloudEvent (JSON, spec 1.0) whose `data` is one. ' +
        'Send the same signal id again and it is stored once. A message that does not validate goes to incidents.dead-letter.v1 with the reason in its `dlq-reason` header.',
      messages: { signal: ref('messages/IntakeSignal'), cloudEvent: ref('messages/IntakeCloudEvent') },
      bindings: { kafka: { topic: Topics.signalIntake, partitions: DEFAULT_PARTITIONS, bindingVersion: '0.5.0' } },
    },
  };
  const messages: Json = {
    IntakeSignal: {
      name: 'Signal',
      title: 'A failure signal (JSON)',
      contentType: 'application/json',
      payload: ref('schemas/Signal'),
      bindings: { kafka: { key: { type: 'string', description: 'Any; the source or the signal id keeps one publisher\'s signals in order.' }, bindingVersion: '0.5.0' } },
      examples: [{ name: 'rate-limit', payload: { id: 'gw-7f3a', source: 'api-gateway', component: 'agent:code-review', level: 'FATAL', message: 'Rate limit exceeded', errorCode: 429, timestamp: '2026-01-15T14:32:15Z' } }],
    },
    IntakeCloudEvent: {
      name: 'CloudEvent',
      title: 'A failure signal as a structured CloudEvent',
      contentType: 'application/cloudevents+json',
      payload: ref('schemas/SignalCloudEvent'),
      examples: [{ name: 'timeout', payload: { specversion: '1.0', id: 'evt-1', source: 'planner', type: 'com.example.failure', time: '2026-01-15T14:32:15Z', data: { level: 'ERROR', message: 'Error: Agent execution timed out after 300000ms' } } }],
    },
  };
  const payloads: Json = {};
  for (const { id, description } of CHANNELS) {
    const address = Topics[id];
    const contracts = typesOf(address).flatMap(contractsOf);
    channels[id] = {
      address,
      description,
      messages: Object.fromEntries(contracts.map((c) => [messageName(c), ref(`messages/${messageName(c)}`)])),
      bindings: { kafka: { topic: address, partitions: DEFAULT_PARTITIONS, bindingVersion: '0.5.0' } },
    };
    for (const c of contracts) {
      messages[messageName(c)] = eventMessage(c, id);
      payloads[schemaName(c)] = jsonSchema(c.schema);
    }
  }
  channels['deadLetter'] = {
    address: Topics.deadLetter,
    description: 'Messages no consumer could process after bounded retries: key, value and headers as they were, plus headers saying where from and why.',
    messages: { DeadLetter: ref('messages/DeadLetter') },
    bindings: { kafka: { topic: Topics.deadLetter, partitions: DEFAULT_PARTITIONS, bindingVersion: '0.5.0' } },
  };
  messages['DeadLetter'] = {
    name: 'DeadLetter',
    title: 'A message that could not be processed',
    summary: 'The original message unchanged (any of the above), with the dlq-* headers added.',
    headers: {
      type: 'object',
      properties: Object.fromEntries(Object.values(DeadLetterHeaders).map((h) => [h, { type: 'string' }])),
      required: Object.values(DeadLetterHeaders),
    },
    payload: {},
  };

  const operations: Json = {
    publishSignal: {
      action: 'send',
      channel: { $ref: '#/channels/signalIntake' },
      title: 'Publish a failure signal',
      summary: 'What a team publishing failure events sends.',
      messages: [{ $ref: '#/channels/signalIntake/messages/signal' }, { $ref: '#/channels/signalIntake/messages/cloudEvent' }],
    },
  };
  for (const { id } of [...CHANNELS, { id: 'deadLetter' as const }]) {
    const channel = channels[id] as { messages: Json };
    operations[`consume${id[0].toUpperCase()}${id.slice(1)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      messages: Object.keys(channel.messages).map((m) => ({ $ref: `#/channels/${id}/messages/${m}` })),
    };
  }

  const envelope = jsonSchema(EventEnvelopeSchema);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Incident platform events',
      version: '1.0.0',
      description:
        'The Kafka topics of the incident platform (docs/architecture.md). Every topic but the intake carries events of the PostgreSQL event log, published by the relay only after they ' +
        'committed, in the log\'s envelope, keyed by stream id. Delivery is at least once: de-duplicate by `event-id`. Topic names are versioned; a breaking change gets a new topic. ' +
        'A change to one event type\'s payload is a new schema version of that type instead (the `schema-version` header, the envelope\'s `schemaVersion`): every version the log may hold is described below, one message each. ' +
        'Generated from libs/contracts by `npm run asyncapi`; a test fails when this file and the contracts disagree.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: 'kafka:9092', protocol: 'kafka', description: 'KAFKA_BROKERS of the deployment (docker compose: kafka:9092).' },
    },
    channels,
    operations,
    components: {
      messages,
      schemas: {
        Signal: jsonSchema(SignalSchema, 'input'),
        SignalCloudEvent: {
          type: 'object',
          description: 'CloudEvents 1.0, structured mode. `source` and `time` fill the signal\'s `source` and `timestamp` when `data` leaves them out; the signal id is `cloudevent:<source>:<id>` unless `data.id` is given.',
          properties: {
            specversion: { const: '1.0' },
            id: { type: 'string', minLength: 1 },
            source: { type: 'string', minLength: 1 },
            type: { type: 'string', minLength: 1 },
            time: { type: 'string', format: 'date-time' },
            data: jsonSchema(SignalSchema.partial({ id: true, source: true, timestamp: true }), 'input'),
          },
          required: ['specversion', 'id', 'source', 'type', 'data'],
        },
        EventEnvelope: envelope,
        EventHeaders: eventHeaders(),
        ...payloads,
      },
    },
  };
}

/** The document as committed: YAML, with a header saying how it is made. */
export function renderAsyncApi(): string {
  return `# Generated by \`npm run asyncapi\` (tools/asyncapi) from libs/contracts; do not edit by hand.\n${stringify(asyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
