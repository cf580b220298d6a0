import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { foldIncident, type IncidentEvent } from '@incident/incident-domain';
import type { IdempotentConsumer } from '@incident/messaging';
import { toKafkaMessage } from '@incident/messaging';
import { eventually, type ScratchEventStore, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { classifiedSignal, incidentRows, recordClassified, replicaDeps, startReplica } from '../int-support/correlation-fixture';
import { type CorrelationIntEnv, type CorrelationTopics, correlationIntEnv } from '../int-support/correlation-int-env';
import { ResolveTimerPoller } from './resolve-timer-poller';

const MINUTE = 60_000;

// Real PostgreSQL (a scratch schema) and the real broker (topics of this file's own).
describe('correlation: resolve timers (real PostgreSQL and Kafka)', () => {
  let env: CorrelationIntEnv;
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  let topics: CorrelationTopics;
  let consumer: IdempotentConsumer | undefined;
  const pollers: ResolveTimerPoller[] = [];

  beforeAll(async () => {
    env = await correlationIntEnv('correlation-timer', { partitions: 1 });
    ({ log, kafka, producer, topics } = env);
  });

  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    await consumer?.stop();
    await env?.dispose();
  });

  it('resolves an incident whose quiet-period timer is past due, once, with two replicas polling, and a replay of the log gives the same state', async () => {
    const source = `quiet-${randomUUID().slice(0, 8)}`;
    const opened = Date.now() - 3 * 60 * MINUTE;
    const lastSeen = opened + 60 * MINUTE;
    const stored = await recordClassified(log, [
      classifiedSignal(source, { at: new Date(opened).toISOString(), level: 'FATAL', message: 'Error: ECONNREFUSED 127.0.0.1:5432' }),
      classifiedSignal(source, { at: new Date(lastSeen).toISOString() }),
    ]);
    await producer.send({ topic: topics.classifications, acks: -1, messages: stored.map(toKafkaMessage) });
    consumer = await startReplica(kafka, log, topics, uniqueName('correlation'));
    const [row] = await eventually(() => incidentRows(log, source), (rows) => rows[0]?.stream_version === 4);
    // Due 30 minutes after the opening signal: hours ago, in event time.
    expect(row).toMatchObject({ status: 'open', resolve_due_at: new Date(opened + 30 * MINUTE) });

    const replicas = [replicaDeps(log), replicaDeps(log)];
    const before = Date.now();
    for (const deps of replicas) {
      const poller = new ResolveTimerPoller(log.dataSource, deps, { intervalMs: 50, batch: 10 });
      pollers.push(poller);
      poller.start();
    }
    await eventually(() => incidentRows(log, source), (rows) => rows[0]?.status === 'resolved');
    await Promise.all(pollers.map((p) => p.stop()));

    const events = await log.store.readStream(Streams.incident(row.incident_id));
    expect(events.map((e) => e.type)).toEqual(['IncidentOpened', 'SignalAttached', 'ResolveTimerScheduled', 'SignalAttached', 'IncidentResolved']);
    // Resolved at the end of the quiet period after the last signal, in event time, not when it fired.
    const resolved = events[4];
    expect(resolved).toMatchObject({
      occurredAt: new Date(lastSeen + 30 * MINUTE),
      payload: { at: new Date(lastSeen + 30 * MINUTE).toISOString(), basis: { rule: 'resolve.quiet-period' } },
      metadata: { causationId: events[2].id, correlationId: events[2].metadata.correlationId, actor: 'correlation' },
    });
    // The wall clock is recorded where it was read, so a replay does not need it.
    const firedAt = Date.parse((resolved.payload['basis'] as { inputs: { firedAt: string } }).inputs.firedAt);
    expect(firedAt).toBeGreaterThanOrEqual(before - 1_000);

    const replayed = foldIncident(events.map((e) => ({ type: e.type, data: e.payload }) as IncidentEvent));
    const seenByService = await replicas[0].streams.incident(row.incident_id);
    expect(replayed).toEqual(seenByService.state);
    expect(replayed).toMatchObject({ status: 'resolved', resolvedAt: new Date(lastSeen + 30 * MINUTE).toISOString(), impact: { signalCount: 2 } });
  });

  it('fires nothing before a timer is due', async () => {
    const source = `fresh-${randomUUID().slice(0, 8)}`;
    const stored = await recordClassified(log, [classifiedSignal(source, { at: new Date().toISOString(), level: 'FATAL' })]);
    await producer.send({ topic: topics.classifications, acks: -1, messages: stored.map(toKafkaMessage) });
    await eventually(() => incidentRows(log, source), (rows) => rows.length === 1);

    const [row] = await incidentRows(log, source);

    const now = new ResolveTimerPoller(log.dataSource, replicaDeps(log), { intervalMs: 50, batch: 10 });
    expect(await now.tick()).not.toContain(row.incident_id);
    const later = new ResolveTimerPoller(log.dataSource, replicaDeps(log), { intervalMs: 50, batch: 10, clock: () => new Date(Date.now() + 31 * MINUTE) });
    expect(await later.tick()).toContain(row.incident_id);
    expect(await incidentRows(log, source)).toMatchObject([{ status: 'resolved' }]);
  });
});
