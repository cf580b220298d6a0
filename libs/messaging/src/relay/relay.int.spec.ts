import { randomUUID } from 'node:crypto';
import { EventEnvelopeSchema } from '@incident/contracts';
import type { NewEvent } from '@incident/event-store';
import type { Kafka } from 'kafkajs';
import { createTopics, deleteTopics, eventually, messageCount, scratchLog, testKafka, uniqueName, type ScratchLog } from '../int-support/int-env';
import { readTopic } from '../int-support/read-topic';
import { Relay, type RelayOptions } from './relay';

describe('relay (real PostgreSQL and Kafka)', () => {
  let log: ScratchLog;
  let kafka: Kafka;
  const topics: string[] = [];
  const relays: Relay[] = [];

  beforeAll(async () => {
    log = await scratchLog();
    kafka = testKafka('relay-int');
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    // Schema first: a broker that went away must not leave a scratch schema behind.
    await log?.dispose();
    if (topics.length) await deleteTopics(kafka, topics);
  });

  async function newTopic(partitions: number): Promise<string> {
    const name = uniqueName('relay-int').replace(/_/g, '-');
    await createTopics(kafka, [{ name, partitions }]);
    topics.push(name);
    return name;
  }

  function relay(options: Partial<RelayOptions> & Pick<RelayOptions, 'route'>): Relay {
    const r = new Relay(
      { kafka, dataSource: log.dataSource, store: log.store, checkpoints: log.checkpoints },
      { pollIntervalMs: 50, lockRetryMs: 100, logger: quiet, ...options },
    );
    relays.push(r);
    return r;
  }

  it('publishes committed events keyed by stream id, with the event headers, in stream order', async () => {
    const topic = await newTopic(3);
    const name = uniqueName('relay');
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const a = `incident-${randomUUID()}`;
    const b = `incident-${randomUUID()}`;
    // Interleaved appends, several per stream, so order has to come from the keying.
    await log.store.append(a, [event('IncidentOpened', { traceparent, tracestate: 'v=1' })], { expectedVersion: 'no_stream' });
    await log.store.append(b, [event('IncidentOpened')], { expectedVersion: 'no_stream' });
    await log.store.append(a, [event('IncidentAcknowledged'), event('IncidentNoteAdded')], { expectedVersion: 1 });
    await log.store.append(b, [event('IncidentResolved')], { expectedVersion: 1 });

    relay({ name, lockKey: name, route: only([a, b], topic), batchSize: 2 }).start();
    const messages = await readTopic(kafka, topic, 5);

    for (const stream of [a, b]) {
      const ofStream = messages.filter((m) => m.key === stream);
      expect(new Set(ofStream.map((m) => m.partition)).size).toBe(1);
      expect(ofStream.map((m) => m.headers['stream-position'])).toEqual(ofStream.map((_, i) => String(i + 1)));
      for (const m of ofStream) {
        const envelope = EventEnvelopeSchema.parse(JSON.parse(m.value ?? ''));
        expect(m.headers).toMatchObject({
          'event-id': envelope.id,
          'event-type': envelope.type,
          'schema-version': String(envelope.schemaVersion),
          'stream-id': stream,
          'global-position': envelope.globalPosition,
        });
      }
    }
    const first = messages.find((m) => m.key === a && m.headers['stream-position'] === '1');
    expect(first?.headers).toMatchObject({ traceparent, tracestate: 'v=1' });
    expect(messages.find((m) => m.key === a && m.headers['stream-position'] === '2')?.headers['traceparent']).toBeUndefined();
    // Only after the broker's acknowledgement does the checkpoint move, here to the end of the log.
    const end = (await log.store.readAll({ transactionId: '0', globalPosition: '0' }, { limit: 10_000 })).position;
    await eventually(() => log.checkpoints.load(name), (p) => p.globalPosition === end.globalPosition);
  });

  it('lets only one replica publish at a time; the waiting one takes over from the checkpoint when the first stops', async () => {
    const topic = await newTopic(1);
    const name = uniqueName('relay');
    const stream = `incident-${randomUUID()}`;
    const first = relay({ name, lockKey: name, route: only([stream], topic) });
    first.start();
    await eventually(async () => first.status().holdsLock, Boolean);
    const second = relay({ name, lockKey: name, route: only([stream], topic) });
    second.start();

    await log.store.append(stream, [event('IncidentOpened'), event('IncidentAcknowledged')], { expectedVersion: 'no_stream' });
    await eventually(() => messageCount(kafka, topic), (n) => n === 2);
    expect(second.status().holdsLock).toBe(false);

    await first.stop();
    await eventually(async () => second.status().holdsLock, Boolean);
    await log.store.append(stream, [event('IncidentResolved')], { expectedVersion: 2 });
    const messages = await readTopic(kafka, topic, 3);
    expect(messages.map((m) => m.headers['stream-position'])).toEqual(['1', '2', '3']);
    // No replay of what the first replica had already checkpointed.
    expect(await messageCount(kafka, topic)).toBe(3);
  });

  it('gives up on a send that never settles, replaces the producer and publishes the page again from the checkpoint', async () => {
    const topic = await newTopic(1);
    const name = uniqueName('relay');
    const stream = `incident-${randomUUID()}`;
    // The first producer's sendBatch hangs, as kafkajs's did once under the pipeline bench; every
    // later producer is the real one, talking to the real broker.
    const producers: string[] = [];
    const wedgedFirst = Object.create(kafka, {
      producer: {
        value: (config: Parameters<Kafka['producer']>[0]) => {
          const producer = kafka.producer(config);
          producers.push(producers.length === 0 ? 'wedged' : 'real');
          if (producers.length === 1) producer.sendBatch = () => new Promise(() => undefined);
          return producer;
        },
      },
    }) as Kafka;
    const errors: string[] = [];
    const r = new Relay(
      { kafka: wedgedFirst, dataSource: log.dataSource, store: log.store, checkpoints: log.checkpoints },
      { name, lockKey: name, route: only([stream], topic), pollIntervalMs: 50, lockRetryMs: 100, sendTimeoutMs: 500, logger: { ...quiet, error: (m: string, f?: { error?: string }) => errors.push(`${m} ${f?.error}`) } },
    );
    relays.push(r);
    await log.store.append(stream, [event('IncidentOpened'), event('IncidentAcknowledged')], { expectedVersion: 'no_stream' });
    r.start();

    const messages = await readTopic(kafka, topic, 2);
    expect(messages.map((m) => m.headers['stream-position'])).toEqual(['1', '2']);
    expect(producers).toEqual(['wedged', 'real']);
    expect(errors).toEqual([expect.stringMatching(/batch failed.*sendBatch of 2 messages did not settle within 500 ms/)]);
    await eventually(async () => r.status(), (status) => status.lastError === undefined && status.position !== undefined);
  });
});

// The scratch log is shared by the tests of this file; each test publishes only its own streams.
function only(streams: string[], topic: string): RelayOptions['route'] {
  return (e) => (streams.includes(e.streamId) ? topic : null);
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function event(type: string, metadata: Record<string, string> = {}): NewEvent {
  return { id: randomUUID(), type, schemaVersion: 1, occurredAt: new Date(), payload: { type }, metadata };
}
