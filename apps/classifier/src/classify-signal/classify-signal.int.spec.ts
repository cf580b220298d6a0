import { randomUUID } from 'node:crypto';
import { type Signal, SIGNAL_RECEIVED, Streams, TRAFFIC_SAMPLED } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { IdempotentConsumer, toKafkaMessage } from '@incident/messaging';
import { committedCount, createScratchEventStore, createTopics, deleteTopics, eventually, quietLogger, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { classifySignalHandler } from './classify-signal.handler';

// Real PostgreSQL (a scratch schema per file) and the real broker (a topic per test).
describe('classifier: SignalReceived -> SignalClassified (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  const topics: string[] = [];
  const consumers: IdempotentConsumer[] = [];

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('classifier-int');
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    if (topics.length) await deleteTopics(kafka, topics);
    await log?.dispose();
  });

  async function startClassifier(topic: string, groupId = uniqueName('classifier')): Promise<string> {
    const consumer = new IdempotentConsumer({ kafka, dataSource: log.dataSource }, [classifySignalHandler({ store: log.store, topic })], {
      groupId,
      schema: log.schema,
      deadLetterTopic: `${topic}-dlq`,
      maxWaitTimeMs: 500,
      logger: quietLogger,
    });
    consumers.push(consumer);
    await consumer.start();
    return groupId;
  }

  async function newTopic(): Promise<string> {
    const topic = uniqueName('classifier-int');
    await createTopics(kafka, [topic, `${topic}-dlq`], 3);
    topics.push(topic, `${topic}-dlq`);
    return topic;
  }

  /** Records a signal as ingest would, and returns the stored event the relay publishes. */
  async function receive(fields: Partial<Signal>): Promise<StoredEvent> {
    const signalId = randomUUID();
    const signal: Signal = { source: `svc-${randomUUID().slice(0, 8)}`, message: 'Rate limit exceeded', level: 'ERROR', ...fields };
    const { appended } = await log.store.append(
      Streams.signal(signalId),
      [{ id: randomUUID(), type: SIGNAL_RECEIVED, schemaVersion: 1, occurredAt: new Date(), payload: { signalId, channel: 'http-json', signal }, metadata: { correlationId: `req-${signalId}`, actor: 'ingest' } }],
      { expectedVersion: 'no_stream' },
    );
    return appended[0];
  }

  async function classified(source: string) {
    const stream = Streams.classification(`${source}|-|rate_limit`);
    return log.store.readStream(stream);
  }

  it('appends exactly one SignalClassified naming the rule and rule-set version, also when the message is delivered twice', async () => {
    const topic = await newTopic();
    const received = await receive({ errorCode: 429 });
    const source = (received.payload as { signal: Signal }).signal.source;
    // The relay is at-least-once: the same event twice, the second time on another partition.
    await producer.send({ topic, acks: -1, messages: [{ ...toKafkaMessage(received), partition: 0 }, { ...toKafkaMessage(received), partition: 1 }] });

    const groupId = await startClassifier(topic);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 2);

    const events = await classified(source);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'SignalClassified',
      payload: {
        signalId: (received.payload as { signalId: string }).signalId,
        classification: { type: 'rate_limit', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1', evidence: { errorCode: '429' } },
      },
      metadata: { causationId: received.id, correlationId: received.metadata.correlationId, actor: 'classifier' },
    });
  });

  it('appends nothing twice when a second consumer group replays the topic (the event id, not only the claim, de-duplicates)', async () => {
    const topic = await newTopic();
    const received = await receive({ errorCode: 429 });
    const source = (received.payload as { signal: Signal }).signal.source;
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(received)] });

    const first = await startClassifier(topic);
    await eventually(() => committedCount(kafka, first, topic), (n) => n === 1);
    // A new group has no claims: only the deterministic event id keeps the log from a duplicate.
    const second = await startClassifier(topic);
    await eventually(() => committedCount(kafka, second, topic), (n) => n === 1);

    expect(await classified(source)).toHaveLength(1);
  });

  it('classifies a batch of signals of several fingerprints, each once and in partition order per fingerprint', async () => {
    const topic = await newTopic();
    const sources = [`svc-${randomUUID().slice(0, 8)}`, `svc-${randomUUID().slice(0, 8)}`];
    const received: StoredEvent[] = [];
    for (let i = 0; i < 40; i++) received.push(await receive({ source: sources[i % 2], errorCode: 429 }));
    // One partition, so the consumer gets them as one batch, with a redelivered copy inside it.
    await producer.send({ topic, acks: -1, messages: [...received, received[5]].map((e) => ({ ...toKafkaMessage(e), partition: 0 })) });

    const groupId = await startClassifier(topic);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 41);

    for (const [i, source] of sources.entries()) {
      const causes = (await classified(source)).map((e) => e.metadata.causationId);
      expect(causes).toEqual(received.filter((_, k) => k % 2 === i).map((e) => e.id));
    }
  });

  it('passes over TrafficSampled events an older relay put on the signals topic, classifying nothing', async () => {
    const topic = await newTopic();
    const source = `svc-${randomUUID().slice(0, 8)}`;
    const now = Date.now();
    const { appended } = await log.store.append(
      Streams.source(source),
      [{ id: randomUUID(), type: TRAFFIC_SAMPLED, schemaVersion: 1, occurredAt: new Date(now), payload: { source, windowStart: new Date(now - 60_000).toISOString(), windowEnd: new Date(now).toISOString(), requests: 100, errors: 7 } }],
      { expectedVersion: 'any' },
    );
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(appended[0])] });

    const groupId = await startClassifier(topic);
    await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 1);

    const rows: { n: string }[] = await log.dataSource.query(`SELECT count(*) AS n FROM "${log.schema}".events WHERE type = 'SignalClassified' AND payload->>'source' = $1`, [source]);
    expect(Number(rows[0].n)).toBe(0);
  });
});
