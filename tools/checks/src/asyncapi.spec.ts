import { spawnSync } from 'node:child_process';
import { EVENT_CONTRACTS, latestEventContract, Topics } from '@incident/contracts';
import { parse } from 'yaml';
import { z } from 'zod';
import { fromRoot, readText, workspaceRoot } from './support/workspace';

// docs/asyncapi.yaml is what other teams read to publish onto the intake topic and to consume
// the others: it must say what the contracts say, so it is generated from them and this test
// fails when the committed file is stale (`npm run asyncapi` regenerates it).
type Json = Record<string, unknown>;
const committed = readText('docs/asyncapi.yaml');
const doc = parse(committed) as {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: { messages: Record<string, Json>; schemas: Record<string, Json> };
};

/** A header's const in a message: its headers are EventHeaders narrowed by one more schema. */
function messageHeader(message: string, header: string): unknown {
  const all = (doc.components.messages[message]['headers'] as { allOf: { properties?: Record<string, { const?: unknown }> }[] }).allOf;
  return all.map((h) => h.properties?.[header]?.const).find((v) => v !== undefined);
}

/** The fields of an object schema, through refinements (TrafficSampled is refined). */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  const inner = (schema as unknown as { _zod: { def: { in?: z.ZodType; innerType?: z.ZodType } } })._zod.def;
  const next = inner.in ?? inner.innerType;
  if (!next) throw new Error('a contract that is not an object schema');
  return objectShape(next);
}

describe('docs/asyncapi.yaml', () => {
  it('is what the generator makes of the contracts today', () => {
    // The generator reads the relay's route table (apps/ingest) too: run as `npm run asyncapi` does.
    const run = spawnSync(fromRoot('node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'tools/asyncapi/cli.ts', '--check'], { cwd: workspaceRoot, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('is AsyncAPI 3.0 with a channel for every topic of the contracts', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((c) => c.address).sort()).toEqual(Object.values(Topics).sort());
  });

  it('describes every message of a log topic in the envelope, keyed by stream, with its type and schema version', () => {
    const logTopics = Object.entries(doc.channels).filter(([id]) => !['signalIntake', 'deadLetter'].includes(id));
    for (const [, channel] of logTopics) {
      expect(Object.keys(channel.messages).length).toBeGreaterThan(0);
      for (const name of Object.keys(channel.messages)) {
        expect(doc.components.messages[name]).toMatchObject({
          headers: { allOf: expect.arrayContaining([{ $ref: '#/components/schemas/EventHeaders' }]) },
          payload: { allOf: expect.arrayContaining([{ $ref: '#/components/schemas/EventEnvelope' }]) },
          bindings: { kafka: { key: { type: 'string', pattern: expect.any(String) } } },
        });
      }
    }
    expect(Object.keys(doc.channels['signals'].messages)).toEqual(expect.arrayContaining(['SignalReceived']));
    expect(Object.keys(doc.channels['traffic'].messages)).toEqual(['TrafficSampled']);
    expect(Object.keys(doc.channels['incidents'].messages)).toEqual(expect.arrayContaining(['IncidentOpened', 'IncidentResolved', 'IncidentEscalated']));
  });

  it('has a message on one topic for every version of every event type the relay publishes', () => {
    // Which topic a type goes to is the relay's route table's to say (the generator reads it);
    // here: every contract version is on one log topic, and nothing else is.
    const documented = Object.values(doc.channels).flatMap((c) =>
      Object.keys(c.messages).filter((m) => (doc.components.messages[m]?.['headers'] as Json | undefined)?.['allOf']).map((m) => `${String(messageHeader(m, 'event-type'))} v${String(messageHeader(m, 'schema-version'))}`),
    );
    const unpublished = ['FailureObserved', 'IncidentLinked', 'SignalAttached']; // correlation's window and the per-signal counts, kept in the log
    const expected = EVENT_CONTRACTS.filter((c) => !unpublished.includes(c.type)).map((c) => `${c.type} v${c.version}`);
    expect(documented.sort()).toEqual(expected.sort());
    expect(expected).toEqual(expect.arrayContaining(['SignalReceived v1', 'SignalReceived v2', 'IncidentEscalated v1', 'CircuitBreakerReset v1', 'PostmortemDrafted v1']));
    const topicOf = (m: string) => Object.values(doc.channels).find((c) => c.messages[m])?.address;
    expect([topicOf('SignalReceivedV1'), topicOf('TrafficSampled'), topicOf('IncidentOpened'), topicOf('StepFailed'), topicOf('PostmortemOverdue')]).toEqual([Topics.signals, Topics.traffic, Topics.incidents, Topics.remediation, Topics.postmortems]);
  });

  it('describes each payload with the fields of its contract: the same names, the same required ones, nothing else', () => {
    const problems = EVENT_CONTRACTS.filter((c) => doc.components.schemas[`${c.type}V${c.version}`]).flatMap((c) => {
      const described = doc.components.schemas[`${c.type}V${c.version}`] as { properties?: Json; required?: string[]; additionalProperties?: unknown };
      const shape = objectShape(c.schema);
      const required = Object.entries(shape).filter(([, field]) => !field.safeParse(undefined).success).map(([name]) => name);
      const same =
        JSON.stringify(Object.keys(described.properties ?? {}).sort()) === JSON.stringify(Object.keys(shape).sort()) &&
        JSON.stringify([...(described.required ?? [])].sort()) === JSON.stringify(required.sort()) &&
        described.additionalProperties === false;
      return same ? [] : [`${c.type} v${c.version}`];
    });
    expect(problems).toEqual([]);
    // Every routed type is described (FailureObserved, IncidentLinked and SignalAttached stay in the log, unpublished).
    expect(EVENT_CONTRACTS.filter((c) => !doc.components.schemas[`${c.type}V${c.version}`]).map((c) => c.type).sort()).toEqual(['FailureObserved', 'IncidentLinked', 'SignalAttached']);
  });

  it('marks the version written today as the type\'s message and an older one as read through an upcast', () => {
    expect(doc.components.messages['SignalReceived']).toMatchObject({ title: `SignalReceived v${latestEventContract('SignalReceived')?.version}` });
    expect(doc.components.messages['SignalReceivedV1']).toMatchObject({ title: 'SignalReceived v1', summary: expect.stringContaining('PAYLOAD_UPCASTS') });
  });

  it('tells a publisher of the intake topic exactly what to send: a JSON signal or a structured CloudEvent', () => {
    expect(Object.keys(doc.channels['signalIntake'].messages)).toEqual(['signal', 'cloudEvent']);
    expect(doc.components.schemas['Signal']).toMatchObject({ required: expect.arrayContaining(['source', 'message']), additionalProperties: false });
    expect(doc.components.schemas['SignalCloudEvent']).toMatchObject({ required: ['specversion', 'id', 'source', 'type', 'data'] });
    expect(Object.values(doc.operations).filter((o) => o.action === 'send').map((o) => o.channel.$ref)).toEqual(['#/channels/signalIntake']);
  });

  it('has no reference that points nowhere', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') refs.push(String(v));
          else walk(v);
        }
      }
    };
    walk(doc);
    const resolve = (ref: string) => ref.replace(/^#\//, '').split('/').reduce<unknown>((at, key) => (at as Json | undefined)?.[key], doc);
    expect(refs.filter((r) => resolve(r) === undefined)).toEqual([]);
    expect(refs.length).toBeGreaterThan(40);
  });
});
