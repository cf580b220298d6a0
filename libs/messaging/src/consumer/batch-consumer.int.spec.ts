import { randomUUID } from 'node:crypto';
import { EventEnvelopeSchema, type EventEnvelope } from '@incident/contracts';
import type { Kafka, Message, Producer } from 'kafkajs';
import { committedCount, createTopics, deleteTopics, eventually, messageCount, scratchLog, testKafka, uniqueName, type ScratchLog } from '../int-support/int-env';
import { readTopic } from '../int-support/read-topic';
import { defineHandler, type ClaimedMessage } from './handler';
import { IdempotentConsumer } from './idempotent-consumer';

// The batch path: a fetched batch of one partition is applied in one transaction, and a batch
// that fails is taken apart message by message so that only the poison message is lost to the DLQ.
describe('idempotent consumer, batch by batch (real PostgreSQL and Kafka)', () => {
  let log: ScratchLog;
  let kafka: Kafka;
  let producer: Producer;
  const topics: string[] = [];
  const consumers: IdempotentConsumer[] = [];

  beforeAll(async () => {
    log = await scratchLog();
    await log.createTable('effects', 'seq bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_id text NOT NULL');
    kafka = testKafka('batch-consumer-int');
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await log?.dispose();
    await producer?.disconnect();
    if (topics.length) await deleteTopics(kafka, topics);
  });

  async function newTopics(): Promise<{ topic: string; deadLetters: string; groupId: string }> {
    const topic = uniqueName('batch-int').replace(/_/g, '-');
    const deadLetters = `${topic}-dlq`;
    await createTopics(kafka, [
      { name: topic, partitions: 1 },
      { name: deadLetters, partitions: 1 },
    ]);
    topics.push(topic, deadLetters);
    return { topic, deadLetters, groupId: uniqueName('group') };
  }

  interface Probe {
    /** Sizes of the batches handleBatch was given. */
    batches: number[];
    /** Messages given to handle() one by one (the fallback path). */
    single: number;
    /** What onBatchCommitted (the batch-size metric) was told, per committed transaction. */
    committed: number[];
  }

  /** One effect row per application: no unique key that could hide a duplicate. */
  async function start(
    topic: string,
    deadLetterTopic: string,
    groupId: string,
    fail: (e: EventEnvelope) => boolean = () => false,
    handles?: (type: string) => boolean,
  ): Promise<Probe> {
    const probe: Probe = { batches: [], single: 0, committed: [] };
    const apply = async (e: EventEnvelope, manager: { query(sql: string, params: unknown[]): Promise<unknown> }) => {
      await manager.query(`INSERT INTO "${log.schema}".effects (event_id, stream_id) VALUES ($1, $2)`, [e.id, e.streamId]);
      if (fail(e)) throw new Error(`cannot handle ${e.type}`);
    };
    const handler = defineHandler({
      topic,
      schema: EventEnvelopeSchema,
      ...(handles ? { handles } : {}),
      async handle(envelope, { manager }) {
        probe.single += 1;
        await apply(envelope, manager);
      },
      async handleBatch(messages: readonly ClaimedMessage<EventEnvelope>[], { manager }) {
        probe.batches.push(messages.length);
        for (const m of messages) await apply(m.value, manager);
      },
    });
    const consumer = new IdempotentConsumer({ kafka, dataSource: log.dataSource }, [handler], {
      groupId,
      schema: log.schema,
      deadLetterTopic,
      retryBackoffMs: 20,
      maxWaitTimeMs: 500,
      logger: quiet,
      onBatchCommitted: ({ messages }) => probe.committed.push(messages),
    });
    consumers.push(consumer);
    await consumer.start();
    return probe;
  }

  async function effectsOf(stream: string): Promise<string[]> {
    const rows: { event_id: string }[] = await log.dataSource.query(
      `SELECT event_id FROM "${log.schema}".effects WHERE stream_id = $1 ORDER BY seq`,
      [stream],
    );
    return rows.map((r) => r.event_id);
  }

  it('applies the messages fetched from a partition in one transaction, in partition order', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const events = Array.from({ length: 50 }, (_, i) => envelope(stream, i + 1));
    await producer.send({ topic, acks: -1, messages: events.map(message) });

    const probe = await start(topic, deadLetters, groupId);

    expect(await eventually(() => effectsOf(stream), (ids) => ids.length >= 50)).toEqual(events.map((e) => e.id));
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 50);
    expect(Math.max(...probe.batches)).toBeGreaterThan(1);
    expect(probe.single).toBe(0);
    expect(probe.committed).toEqual(probe.batches);
  });

  it('dead-letters a poison message in the middle of a batch and applies every other message of it exactly once', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const events = Array.from({ length: 21 }, (_, i) => envelope(stream, i + 1, i === 10 ? 'Doomed' : 'SignalReceived'));
    const poison = events[10];
    await producer.send({ topic, acks: -1, messages: events.map(message) });

    const probe = await start(topic, deadLetters, groupId, (e) => e.type === 'Doomed');

    const healthy = events.filter((e) => e !== poison).map((e) => e.id);
    expect(await eventually(() => effectsOf(stream), (ids) => ids.length >= 20)).toEqual(healthy);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 21);
    const [letter] = await readTopic(kafka, deadLetters, 1);
    expect(letter.headers).toMatchObject({ 'event-id': poison.id, 'dlq-original-offset': '10', 'dlq-attempts': '3' });
    expect(letter.headers['dlq-reason']).toBe('handler failed after 3 attempts: cannot handle Doomed');
    // The failed batch was taken apart: its messages went through handle(), the poison three times.
    expect(probe.single).toBeGreaterThanOrEqual(23);
    expect(await effectsOf(stream)).toEqual(healthy);
  });

  it('dead-letters an unparseable message of a batch without giving up the batch', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const [before, after] = [envelope(stream, 1), envelope(stream, 2)];
    await producer.send({ topic, acks: -1, messages: [message(before), { key: stream, value: 'not json', headers: { 'event-id': randomUUID() } }, message(after)] });

    const probe = await start(topic, deadLetters, groupId);

    expect(await eventually(() => effectsOf(stream), (ids) => ids.length >= 2)).toEqual([before.id, after.id]);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 3);
    const [letter] = await readTopic(kafka, deadLetters, 1);
    expect(letter).toMatchObject({ value: 'not json', headers: { 'dlq-original-offset': '1', 'dlq-attempts': '0' } });
    expect(probe.single).toBe(0);
  });

  it('passes by, unparsed and unclaimed, the messages whose event-type header it does not act on, and commits past them', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const events = Array.from({ length: 12 }, (_, i) => envelope(stream, i + 1, i % 3 === 0 ? 'IncidentOpened' : 'SignalAttached'));
    const typed = (e: EventEnvelope): Message => ({ ...message(e), headers: { 'event-id': e.id, 'event-type': e.type } });
    // Bytes that would be dead-lettered if they were parsed: passed by, they never are.
    const unreadable = { key: stream, value: 'not json', headers: { 'event-id': randomUUID(), 'event-type': 'SignalAttached' } };
    await producer.send({ topic, acks: -1, messages: [...events.map(typed), unreadable] });

    const probe = await start(topic, deadLetters, groupId, () => false, (type) => type === 'IncidentOpened');

    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 13);
    const opened = events.filter((e) => e.type === 'IncidentOpened').map((e) => e.id);
    expect(await effectsOf(stream)).toEqual(opened);
    const claims: { n: number }[] = await log.dataSource.query(`SELECT count(*)::int AS n FROM "${log.schema}".processed_messages WHERE consumer = $1`, [groupId]);
    expect(claims[0].n).toBe(opened.length);
    expect(await messageCount(kafka, deadLetters)).toBe(0);
    expect(probe.single).toBe(0);
    // The batch-size metric counts every message a committed slice covered, passed by or not.
    expect(probe.committed.reduce((n, m) => n + m, 0)).toBe(13);
  });

  it('applies once a batch that holds the same messages twice', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const events = Array.from({ length: 10 }, (_, i) => envelope(stream, i + 1));
    await producer.send({ topic, acks: -1, messages: [...events, ...events].map(message) });

    await start(topic, deadLetters, groupId);

    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 20);
    expect(await effectsOf(stream)).toEqual(events.map((e) => e.id));
  });

  it('changes nothing when a whole batch is delivered again after its offsets were committed', async () => {
    const { topic, deadLetters, groupId } = await newTopics();
    const stream = `incident-${randomUUID()}`;
    const events = Array.from({ length: 30 }, (_, i) => envelope(stream, i + 1));
    await producer.send({ topic, acks: -1, messages: events.map(message) });
    await start(topic, deadLetters, groupId);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 30);
    await Promise.all(consumers.splice(0).map((c) => c.stop()));

    // As after a crash between the commit of the effects and the commit of the offsets.
    await resetOffsets(kafka, groupId, topic);
    const probe = await start(topic, deadLetters, groupId);

    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 30);
    expect(await effectsOf(stream)).toEqual(events.map((e) => e.id));
    expect({ batches: probe.batches, single: probe.single }).toEqual({ batches: [], single: 0 });
    expect(probe.committed.reduce((n, m) => n + m, 0)).toBe(30);
  });
});

async function resetOffsets(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] });
  } finally {
    await admin.disconnect();
  }
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function envelope(streamId: string, streamVersion: number, type = 'SignalReceived'): EventEnvelope {
  const at = new Date().toISOString();
  return { id: randomUUID(), streamId, streamVersion, globalPosition: String(streamVersion), type, schemaVersion: 1, occurredAt: at, recordedAt: at, payload: {}, metadata: {} };
}

function message(e: EventEnvelope): Message {
  return { key: e.streamId, value: JSON.stringify(e), headers: { 'event-id': e.id } };
}
