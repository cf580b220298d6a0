import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { IdempotentConsumer, toKafkaMessage } from '@incident/messaging';
import { committedCount, eventually, type ScratchEventStore, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { correlateSignalHandler } from '../correlate-signal/correlate-signal';
import { classifiedSignal, incidentRows, recordClassified, recordTraffic, replicaDeps } from '../int-support/correlation-fixture';
import { type CorrelationIntEnv, type CorrelationTopics, correlationIntEnv } from '../int-support/correlation-int-env';
import { measureErrorRateHandler } from './measure-error-rate';

// Traffic samples of one source in one consumer batch: each measures the incident as the samples
// before it left it, in one pass, without a version conflict. Real PostgreSQL and Kafka.
describe('correlation: a batch of traffic samples (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let env: CorrelationIntEnv;
  let kafka: Kafka;
  let producer: Producer;
  let topics: CorrelationTopics;

  beforeAll(async () => {
    env = await correlationIntEnv('correlation-measure', { partitions: 1 });
    ({ log, kafka, producer, topics } = env);
  });

  afterAll(async () => {
    await env?.dispose();
  });

  it("measures a source's open incident once per sample, in order, and raises severity on the one that crosses the table", async () => {
    const source = `traffic-${randomUUID().slice(0, 8)}`;
    const at = Date.now() - 5 * 60_000;
    const [fatal] = await recordClassified(log, [classifiedSignal(source, { at: new Date(at).toISOString(), level: 'FATAL' })]);
    const warnings: string[] = [];
    const groupId = uniqueName('correlation');
    const deps = replicaDeps(log);
    const consumer = new IdempotentConsumer(
      { kafka, dataSource: log.dataSource },
      [correlateSignalHandler(deps, topics.classifications), measureErrorRateHandler(deps, topics.traffic)],
      { groupId, schema: log.schema, deadLetterTopic: topics.deadLetter, maxWaitTimeMs: 500, logger: { log: () => undefined, warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) } },
    );
    await consumer.start();
    try {
      await producer.send({ topic: topics.classifications, acks: -1, messages: [toKafkaMessage(fatal)] });
      const [row] = await eventually(() => incidentRows(log, source), (rows) => rows.length === 1);
      // Recorded once the incident is open, so that it opened knowing no traffic.
      const samples = [];
      for (const [i, errors] of [10, 120, 190].entries()) {
        const windowStart = new Date(at + i * 60_000).toISOString();
        samples.push(await recordTraffic(log, { source, windowStart, windowEnd: new Date(at + (i + 1) * 60_000).toISOString(), requests: 200, errors }));
      }
      await producer.send({ topic: topics.traffic, acks: -1, messages: samples.map(toKafkaMessage) });
      await eventually(() => committedCount(kafka, groupId, topics.traffic), (n) => n === 3);

      const events = await log.store.readStream(Streams.incident(row.incident_id));
      const measured = events.filter((e) => e.type === 'ErrorRateMeasured' || e.type === 'SeverityChanged');
      expect(measured.map((e) => [e.type, e.metadata.causationId])).toEqual([
        ['ErrorRateMeasured', samples[0].id],
        ['ErrorRateMeasured', samples[1].id],
        ['SeverityChanged', samples[1].id],
        ['ErrorRateMeasured', samples[2].id],
        ['SeverityChanged', samples[2].id],
      ]);
      expect(measured.filter((e) => e.type === 'SeverityChanged').map((e) => e.payload['to'])).toEqual(['SEV-2', 'SEV-1']);
      expect(warnings).toEqual([]);
    } finally {
      await consumer.stop();
    }
  });
});
