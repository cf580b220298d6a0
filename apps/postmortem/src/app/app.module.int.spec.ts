import 'reflect-metadata';
import { loadServiceConfig, METRICS_REGISTRY } from '@incident/service-runtime';
import { toKafkaMessage } from '@incident/messaging';
import { appRoleUrl, createScratchEventStore, createTopics, deleteTopics, eventually, kafkaBrokers, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { IncidentOnLog, minutesAfter, postmortemStream } from '../int-support/postmortem-fixture';
import { AppModule } from './app.module';

// The Nest wiring as `main.ts` builds it, on a scratch schema and topics of its own, so it joins
// no consumer group a running stack or another test uses.
describe('postmortem service wiring (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let app: INestApplication | undefined;
  const topic = uniqueName('postmortem-app');
  const topics = [topic, `${topic}-dlq`];

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('postmortem-app-int');
    await createTopics(kafka, topics, 2);
  });

  afterAll(async () => {
    await app?.close();
    await deleteTopics(kafka, topics);
    await log?.dispose();
  });

  it('boots with its consumer and overdue poller: a resolved incident gets its postmortem, flagged overdue a day later in event time, and it shuts down cleanly', async () => {
    const env = {
      DATABASE_URL: appRoleUrl(log.adminUrl),
      EVENT_LOG_SCHEMA: log.schema,
      KAFKA_BROKERS: kafkaBrokers(),
      KAFKA_LOG_LEVEL: 'nothing',
      KAFKA_DEAD_LETTER_TOPIC: `${topic}-dlq`,
      POSTMORTEM_TIMER_POLL_MS: '100',
    };
    const config = loadServiceConfig('postmortem', 8084, env);
    app = await NestFactory.create(AppModule.forRoot({ config, apiKeys: [], env }, { groupId: uniqueName('postmortem'), incidentsTopic: topic, topics: [] }), { logger: false });
    await app.init();

    // Resolved two days ago: its postmortem was due yesterday.
    const incident = new IncidentOnLog(log);
    const t0 = new Date(Date.now() - 48 * 60 * 60_000).toISOString();
    const events = [...(await incident.opened(t0)), ...(await incident.respond(minutesAfter(t0, 30), 'alice', { kind: 'ResolveIncident', reason: 'fixed' }))];
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: events.map(toKafkaMessage) });
    await producer.disconnect();

    const stream = await eventually(() => postmortemStream(log, incident.id), (s) => s.length === 2, 60_000);
    expect(stream.map((e) => [e.type, e.payload['revision']])).toEqual([
      ['PostmortemDrafted', 1],
      ['PostmortemOverdue', 1],
    ]);
    const metrics = await app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(/postmortem_decisions_total\{[^}]*command="DraftPostmortem",outcome="PostmortemDrafted"[^}]*\} 1/);
    expect(metrics).toMatch(/postmortem_decisions_total\{[^}]*command="FlagOverdue",outcome="PostmortemOverdue"[^}]*\} 1/);

    await app.close();
    app = undefined;
  });
});
