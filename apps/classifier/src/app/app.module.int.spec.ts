import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type Signal, SIGNAL_RECEIVED, Streams } from '@incident/contracts';
import { loadServiceConfig } from '@incident/service-runtime';
import { toKafkaMessage } from '@incident/messaging';
import { appRoleUrl, createScratchEventStore, createTopics, deleteTopics, eventually, kafkaBrokers, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { AppModule } from './app.module';

// The Nest wiring as `main.ts` builds it, on a scratch schema and topics of its own, so it joins
// no consumer group a running stack or another test uses.
describe('classifier service wiring (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let app: INestApplication | undefined;
  const topic = uniqueName('classifier-app');

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('classifier-app-int');
    await createTopics(kafka, [topic, `${topic}-dlq`], 2);
  });

  afterAll(async () => {
    await app?.close();
    await deleteTopics(kafka, [topic, `${topic}-dlq`]);
    await log?.dispose();
  });

  it('boots with its consumer, classifies a toKafkaMessage SignalReceived into the log, and shuts down cleanly', async () => {
    const env = {
      DATABASE_URL: appRoleUrl(log.adminUrl),
      EVENT_LOG_SCHEMA: log.schema,
      KAFKA_BROKERS: kafkaBrokers(),
      KAFKA_LOG_LEVEL: 'nothing',
      KAFKA_DEAD_LETTER_TOPIC: `${topic}-dlq`,
    };
    const config = loadServiceConfig('classifier', 8081, env);
    app = await NestFactory.create(AppModule.forRoot({ config, apiKeys: [], env }, { groupId: uniqueName('classifier'), signalsTopic: topic, topics: [] }), { logger: false });
    await app.init();

    const signalId = randomUUID();
    const source = `wired-${signalId.slice(0, 8)}`;
    const signal: Signal = { source, message: 'Agent execution timed out after 300000ms', level: 'ERROR' };
    const { appended } = await log.store.append(
      Streams.signal(signalId),
      [{ id: randomUUID(), type: SIGNAL_RECEIVED, schemaVersion: 1, occurredAt: new Date(), payload: { signalId, channel: 'http-json', signal } }],
      { expectedVersion: 'no_stream' },
    );
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(appended[0])] });
    await producer.disconnect();

    const [classified] = await eventually(() => log.store.readStream(Streams.classification(`${source}|-|timeout`)), (events) => events.length === 1);
    expect(classified.payload).toMatchObject({ signalId, classification: { type: 'timeout', ruleId: 'timeout.timed-out' } });

    await app.close();
    app = undefined;
  });
});
