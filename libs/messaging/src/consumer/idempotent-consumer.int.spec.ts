import { randomUUID } from 'node:crypto';
import { EventEnvelopeSchema, type EventEnvelope } from '@incident/contracts';
import type { Kafka, Message, Producer } from 'kafkajs';
import { committedCount, createTopics, deleteTopics, eventually, scratchLog, testKafka, uniqueName, type ScratchLog } from '../int-support/int-env';
import { readTopic } from '../int-support/read-topic';
import { IdempotentConsumer, defineHandler, type IdempotentConsumerOptions } from './idempotent-consumer';

describe('idempotent consumer (real PostgreSQL and Kafka)', () => {
  let log: ScratchLog;
  let kafka: Kafka;
  let producer: Producer;
  const topics: string[] = [];
  const consumers: IdempotentConsumer[] = [];

  beforeAll(async () => {
    log = await scratchLog();
    await log.createTable('effects', 'seq bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_id text NOT NULL');
    kafka = testKafka('consumer-int');
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    // Schema first: a broker that went away must not leave a scratch schema behind.
    await log?.dispose();
    await producer?.disconnect();
    if (topics.length) await deleteTopics(kafka, topics);
  });

  async function newTopics(): Promise<{ topic: string; deadLetters: string; groupId: string }> {
    const topic = uniqueName('consumer-int').replace(/_/g, '-');
    const deadLetters = `${topic}-dlq`;
    await createTopics(kafka, [
      { name: topic, partitions: 1 },
      { name: deadLetters, partitions: 1 },
    ]);
    topics.push(topic, deadLetters);
    return { topic, deadLetters, groupId: uniqueName('group') };
  }

  /** The effect under test: one row per application, no unique key that could hide a duplicate. */
  async function start(topic: string, options: Omit<IdempotentConsumerOptions, 'schema'>, fail?: (e: EventEnvelope) => boolean) {
    const handler = defineHandler({
      topic,
      schema: EventEnvelopeSchema,
      async handle(envelope, { manager }) {
        await manager.query(`INSERT INTO "${log.schema}".effects (event_id, stream_id) VALUES ($1, $2)`, [envelope.id, envelope.streamId]);
        if (fail?.(envelope)) throw new Error(`cannot handle ${envelope.type}`);
      },
    });
    const consumer = new IdempotentConsumer({ kafka, dataSource: log.dataSource }, [handler], {
      schema: log.schema,
      retryBackoffMs: 20,
      maxWaitTimeMs: 500,
      logger: quiet,
      ...options,
    });
    consumers.push(consumer);
    await consumer.start();
  }

  async function effectsOf(stream: string): Promise<string[]> {
    const rows: { event_id: string }[] = await log.dataSource.query(
      `SELECT event_id FROM "${log.schema}".effects WHERE stream_id = $1 ORDER BY seq`,
      [stream],
    );
    return rows.map((r) => r.event_id);
  }

  it('moves an unparseable message to the dead-letter topic with the reason, and still processes the ones after it on its partition', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const [before, after] = [envelope(stream, 1), envelope(stream, 2)];
    await producer.send({
      topic,
      acks: -1,
      messages: [message(before), { key: stream, value: '{"id": "broken', headers: { 'event-id': randomUUID() } }, message(after)],
    });

    await start(topic, { groupId, deadLetterTopic: deadLetters });

    expect(await eventually(() => effectsOf(stream), (ids) => ids.length === 2)).toEqual([before.id, after.id]);
    const [letter] = await readTopic(kafka, deadLetters, 1);
    expect(letter.value).toBe('{"id": "broken');
    expect(letter.key).toBe(stream);
    expect(letter.headers).toMatchObject({
      'dlq-original-topic': topic,
      'dlq-original-partition': '0',
      'dlq-original-offset': '1',
      'dlq-consumer-group': groupId,
      'dlq-attempts': '0',
    });
    expect(letter.headers['dlq-reason']).toMatch(/^unparseable: invalid JSON: /);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 3);
  });

  it('retries a failing handler a bounded number of times, rolling back each attempt, then dead-letters it and moves on', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const [doomed, next] = [envelope(stream, 1, 'Doomed'), envelope(stream, 2)];
    let attempts = 0;
    await producer.send({ topic, acks: -1, messages: [message(doomed), message(next)] });

    const failsWhenDoomed = (e: EventEnvelope): boolean => {
      if (e.type !== 'Doomed') return false;
      attempts += 1;
      return true;
    };

    await start(topic, { groupId, deadLetterTopic: deadLetters, maxAttempts: 3 }, failsWhenDoomed);

    expect(await eventually(() => effectsOf(stream), (ids) => ids.length === 1)).toEqual([next.id]);
    expect(attempts).toBe(3);
    const [letter] = await readTopic(kafka, deadLetters, 1);
    expect(letter.headers).toMatchObject({ 'event-id': doomed.id, 'dlq-attempts': '3', 'dlq-original-offset': '0' });
    expect(letter.headers['dlq-reason']).toBe('handler failed after 3 attempts: cannot handle Doomed');
  });

  it('applies a message delivered twice exactly once', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const once = envelope(stream, 1);
    await producer.send({ topic, acks: -1, messages: [message(once), message(once), message(envelope(stream, 2))] });

    await start(topic, { groupId, deadLetterTopic: deadLetters });

    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 3);
    expect(await effectsOf(stream)).toEqual([once.id, expect.any(String)]);
  });
});

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function envelope(streamId: string, streamVersion: number, type = 'SignalReceived'): EventEnvelope {
  const at = new Date().toISOString();
  return { id: randomUUID(), streamId, streamVersion, globalPosition: String(streamVersion), type, schemaVersion: 1, occurredAt: at, recordedAt: at, payload: {}, metadata: {} };
}

function message(e: EventEnvelope): Message {
  return { key: e.streamId, value: JSON.stringify(e), headers: { 'event-id': e.id } };
}
