import { spawnSync } from 'node:child_process';
import { Topics } from '@incident/contracts';
import { parse } from 'yaml';
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

  it('describes every message of a log topic in the envelope, keyed by stream', () => {
    const logTopics = Object.entries(doc.channels).filter(([id]) => !['signalIntake', 'deadLetter'].includes(id));
    for (const [, channel] of logTopics) {
      expect(Object.keys(channel.messages).length).toBeGreaterThan(0);
      for (const name of Object.keys(channel.messages)) {
        expect(doc.components.messages[name]).toMatchObject({
          headers: { $ref: '#/components/schemas/EventHeaders' },
          payload: { allOf: expect.arrayContaining([{ $ref: '#/components/schemas/EventEnvelope' }]) },
          bindings: { kafka: { key: { type: 'string', pattern: expect.any(String) } } },
        });
      }
    }
    expect(Object.keys(doc.channels['signals'].messages)).toEqual(expect.arrayContaining(['SignalReceived', 'TrafficSampled']));
    expect(Object.keys(doc.channels['incidents'].messages)).toEqual(expect.arrayContaining(['IncidentOpened', 'IncidentResolved', 'IncidentEscalated']));
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
