import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { foldIncident, type IncidentEvent } from '@incident/incident-domain';
import { IdempotentConsumer, toKafkaMessage } from '@incident/messaging';
import { committedCount, createScratchEventStore, createTopics, deleteTopics, eventually, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { correlateSignalHandler } from './correlate-signal';
import { classifiedSignal, incidentRows, recordClassified, replicaDeps } from '../int-support/correlation-fixture';

// A consumer batch is decided in one pass: each signal on the state the signals before it in the
// batch left, kept in memory, and appended together. Real PostgreSQL and Kafka.
describe('correlation: a batch of classified signals in one pass (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  const topic = uniqueName('correlation-batch');
  const topics = [topic, `${topic}-dlq`];

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('correlation-batch');
    await createTopics(kafka, topics, 1);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deleteTopics(kafka, topics);
    await log?.dispose();
  });

  async function incidentsOf(source: string): Promise<{ status: string; events: StoredEvent[] }[]> {
    const rows = await incidentRows(log, source);
    return Promise.all(rows.map(async (row) => ({ status: row.status, events: await log.store.readStream(Streams.incident(row.incident_id)) })));
  }

  it('opens, resolves and opens again within one batch, and counts a burst on one incident, as one message at a time would', async () => {
    const [alerting, bursty] = [`alerting-${randomUUID().slice(0, 8)}`, `bursty-${randomUUID().slice(0, 8)}`];
    const alert = `am-${randomUUID().slice(0, 8)}`;
    const t0 = Date.now() - 10 * 60_000;
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const lifecycle = await recordClassified(log, [
      classifiedSignal(alerting, { at: at(0), level: 'FATAL', message: 'HighErrorRate', alert: { fingerprint: alert, status: 'firing', severity: 'critical' } }),
      classifiedSignal(alerting, { at: at(60_000), level: 'INFO', message: 'HighErrorRate', alert: { fingerprint: alert, status: 'resolved' } }),
      classifiedSignal(alerting, { at: at(120_000), level: 'FATAL', message: 'HighErrorRate', alert: { fingerprint: alert, status: 'firing', severity: 'critical' } }),
    ]);
    const burst = await recordClassified(log, Array.from({ length: 12 }, (_, i) => classifiedSignal(bursty, { at: at(i * 1_000), userId: `u-${i % 5}` })));
    // Interleaved, one partition: the consumer gets them as one batch of two fingerprints.
    const messages = burst.flatMap((e, i) => (lifecycle[i] ? [e, lifecycle[i]] : [e]));
    await producer.send({ topic, acks: -1, messages: messages.map((e) => ({ ...toKafkaMessage(e), partition: 0 })) });

    const warnings: string[] = [];
    const groupId = uniqueName('correlation');
    const consumer = new IdempotentConsumer({ kafka, dataSource: log.dataSource }, [correlateSignalHandler(replicaDeps(log), topic)], {
      groupId,
      schema: log.schema,
      deadLetterTopic: `${topic}-dlq`,
      maxWaitTimeMs: 500,
      logger: { log: () => undefined, warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) },
    });
    await consumer.start();
    try {
      await eventually(() => committedCount(kafka, groupId, topic), (n) => n === messages.length);
    } finally {
      await consumer.stop();
    }

    expect(warnings).toEqual([]);
    const incidents = await incidentsOf(alerting);
    expect(incidents).toHaveLength(2);
    // One transaction stores both, in stream-id order: tell them apart by what opened them.
    const [first, second] = [0, 2].map((i) => incidents.find((x) => x.events[0].metadata.causationId === lifecycle[i].id) ?? incidents[0]);
    expect(first.events.map((e) => [e.type, e.metadata.causationId])).toEqual([
      ['IncidentOpened', lifecycle[0].id],
      ['SignalAttached', lifecycle[0].id],
      ['ResolveTimerScheduled', lifecycle[0].id],
      ['IncidentResolved', lifecycle[1].id],
    ]);
    expect(first.status).toBe('resolved');
    expect(second.events[0]).toMatchObject({ type: 'IncidentOpened', metadata: { causationId: lifecycle[2].id } });
    expect(second.status).toBe('open');

    const [storm] = await incidentsOf(bursty);
    const incident = foldIncident(storm.events.map((e) => ({ type: e.type, data: e.payload }) as IncidentEvent));
    expect(incident).toMatchObject({ status: 'open', impact: { signalCount: 12, affectedUsers: 5 } });
    const window = await log.store.readStream(Streams.correlation(`${bursty}|agent:planner|rate_limit`));
    expect(window.map((e) => e.type)).toEqual([...Array<string>(9).fill('FailureObserved'), 'IncidentLinked']);
    expect(await log.store.verify()).toMatchObject({ ok: true });
  });
});
