import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { METRICS_REGISTRY, loadServiceConfig } from '@incident/service-runtime';
import { toKafkaMessage } from '@incident/messaging';
import { appRoleUrl, createScratchEventStore, createTopics, deleteTopics, eventually, kafkaBrokers, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { classifiedSignal, incidentRows, recordClassified } from '../int-support/correlation-fixture';
import { AppModule } from './app.module';

// The Nest wiring as `main.ts` builds it, on a scratch schema and topics of its own, so it joins
// no consumer group a running stack or another test uses.
describe('correlation service wiring (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let app: INestApplication | undefined;
  const topic = uniqueName('correlation-app');
  const topics = [topic, `${topic}-traffic`, `${topic}-dlq`];

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('correlation-app-int');
    await createTopics(kafka, topics, 2);
  });

  afterAll(async () => {
    await app?.close();
    await deleteTopics(kafka, topics);
    await log?.dispose();
  });

  it('boots with its consumers and timer poller: a FATAL signal opens an incident, its past-due timer resolves it, and it shuts down cleanly', async () => {
    const env = {
      DATABASE_URL: appRoleUrl(log.adminUrl),
      EVENT_LOG_SCHEMA: log.schema,
      KAFKA_BROKERS: kafkaBrokers(),
      KAFKA_LOG_LEVEL: 'nothing',
      KAFKA_DEAD_LETTER_TOPIC: `${topic}-dlq`,
      CORRELATION_TIMER_POLL_MS: '100',
    };
    const config = loadServiceConfig('correlation', 8082, env);
    const wiring = { groupId: uniqueName('correlation'), classificationsTopic: topic, trafficTopic: `${topic}-traffic`, topics: [] };
    app = await NestFactory.create(AppModule.forRoot({ config, apiKeys: [], env }, wiring), { logger: false });
    await app.init();

    const source = `wired-${randomUUID().slice(0, 8)}`;
    const [fatal] = await recordClassified(log, [classifiedSignal(source, { at: new Date(Date.now() - 2 * 3_600_000).toISOString(), level: 'FATAL' })]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(fatal)] });
    await producer.disconnect();

    await eventually(() => incidentRows(log, source), (rows) => rows[0]?.status === 'resolved');
    const metrics = await app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(/correlation_decisions_total\{[^}]*command="CorrelateSignal",outcome="IncidentOpened"[^}]*\} 1/);
    expect(metrics).toMatch(/correlation_decisions_total\{[^}]*command="FireResolveTimer",outcome="IncidentResolved"[^}]*\} 1/);

    await app.close();
    app = undefined;
  });
});
