import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { foldIncident, type IncidentEvent } from '@incident/incident-domain';
import type { IdempotentConsumer } from '@incident/messaging';
import { toKafkaMessage } from '@incident/messaging';
import { committedCount, eventually, type ScratchEventStore, uniqueName } from '@incident/testing';
import type { Kafka, Message, Producer } from 'kafkajs';
import { classifiedSignal, type Conflicts, incidentRows, recordClassified, replicaDeps, startReplica } from '../int-support/correlation-fixture';
import { type CorrelationIntEnv, type CorrelationTopics, correlationIntEnv } from '../int-support/correlation-int-env';

const N = 2_000;
const PARTITIONS = 4;

// Real PostgreSQL (a scratch schema) and the real broker (topics of this file's own).
describe('correlation: a storm of 429s across two replicas (real PostgreSQL and Kafka)', () => {
  let env: CorrelationIntEnv;
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  let topics: CorrelationTopics;
  const consumers: IdempotentConsumer[] = [];

  beforeAll(async () => {
    env = await correlationIntEnv('correlation-storm', { partitions: PARTITIONS, poolSize: 20 });
    ({ log, kafka, producer, topics } = env);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await env?.dispose();
  });

  it(`counts ${N} 429s from one source on exactly one rate_limit incident, with two replicas in one group and redeliveries`, async () => {
    const source = `storm-${randomUUID().slice(0, 8)}`;
    const t0 = Date.now() - 60_000;
    const signals = Array.from({ length: N }, (_, i) =>
      classifiedSignal(source, { at: new Date(t0 + i * 10).toISOString(), userId: `user-${i % 250}` }),
    );
    const stored = await recordClassified(log, signals);
    // Harsher than production, where the relay keys by stream and one fingerprint stays on one
    // partition: here the storm is spread over every partition, so both replicas correlate the
    // same fingerprint at the same time, and every 10th message is delivered twice, the second
    // time on another partition (to the other replica, possibly while the first is in flight).
    const messages: Message[] = [];
    stored.forEach((event, i) => {
      messages.push({ ...toKafkaMessage(event), partition: i % PARTITIONS });
      if (i % 10 === 0) messages.push({ ...toKafkaMessage(event), partition: (i + 1) % PARTITIONS });
    });
    const groupId = uniqueName('correlation');
    const conflicts: Conflicts = { count: 0 };
    const started = Date.now();

    consumers.push(await startReplica(kafka, log, topics, groupId, replicaDeps(log, conflicts)));
    const half = Math.floor(messages.length / 2);
    await producer.send({ topic: topics.classifications, acks: -1, messages: messages.slice(0, half) });
    // The second replica joins mid-storm: the rebalance hands it partitions the first was reading.
    consumers.push(await startReplica(kafka, log, topics, groupId, replicaDeps(log, conflicts)));
    await producer.send({ topic: topics.classifications, acks: -1, messages: messages.slice(half) });

    await eventually(() => committedCount(kafka, groupId, topics.classifications), (n) => n === messages.length, 120_000);
    const seconds = (Date.now() - started) / 1000;

    const rows = await incidentRows(log, source);
    expect(rows).toHaveLength(1);
    const events = await log.store.readStream(Streams.incident(rows[0].incident_id));
    const incident = foldIncident(events.map((e) => ({ type: e.type, data: e.payload }) as IncidentEvent));
    expect(incident).toMatchObject({ status: 'open', type: 'rate_limit', source, impact: { signalCount: N, affectedUsers: 250 } });
    const attached = events.filter((e) => e.type === 'SignalAttached').map((e) => e.payload['signalId']);
    expect(new Set(attached).size).toBe(N);
    expect(attached).toHaveLength(N);

    const opened: { n: string }[] = await log.dataSource.query(
      `SELECT count(*) AS n FROM "${log.schema}".events WHERE type = 'IncidentOpened' AND payload->>'source' = $1`,
      [source],
    );
    expect(Number(opened[0].n)).toBe(1);
    const window = await log.store.readStream(Streams.correlation(signals[0].classification.fingerprint));
    expect(window.filter((e) => e.type === 'IncidentLinked')).toHaveLength(1);

    // Wall time includes both group joins and the rebalance; the log's own timestamps do not.
    const appending = (events[events.length - 1].recordedAt.getTime() - events[0].recordedAt.getTime()) / 1000;
    console.log(
      `storm: ${N} signals (${messages.length} deliveries) correlated by 2 replicas in ${seconds.toFixed(1)} s = ` +
        `${Math.round(N / seconds)} signals/s end to end, ${Math.round(N / appending)} signals/s from first to last append; ` +
        `${conflicts.count} decisions re-taken after a version conflict`,
    );
  }, 180_000);
});
