import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import type { IdempotentConsumer } from '@incident/messaging';
import { toKafkaMessage } from '@incident/messaging';
import { committedCount, eventually, type ScratchEventStore, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { classifiedSignal, incidentRows, recordClassified, recordTraffic, startReplica } from '../int-support/correlation-fixture';
import { type CorrelationIntEnv, type CorrelationTopics, correlationIntEnv } from '../int-support/correlation-int-env';
import { incidentIdFor } from './correlate-signal.command';

// Real PostgreSQL (a scratch schema) and the real broker (topics of this file's own, a group per test).
describe('correlation: incidents open, measure and resolve (real PostgreSQL and Kafka)', () => {
  let env: CorrelationIntEnv;
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  let topics: CorrelationTopics;
  const consumers: IdempotentConsumer[] = [];

  beforeAll(async () => {
    env = await correlationIntEnv('correlation-life', { partitions: 2 });
    ({ log, kafka, producer, topics } = env);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await env?.dispose();
  });

  async function publish(target: string, events: StoredEvent[]): Promise<void> {
    await producer.send({ topic: target, acks: -1, messages: events.map(toKafkaMessage) });
  }

  async function incidentEvents(source: string): Promise<StoredEvent[]> {
    const [row] = await eventually(() => incidentRows(log, source), (rows) => rows.length === 1);
    return log.store.readStream(Streams.incident(row.incident_id));
  }

  it('opens a SEV-2 incident for a firing critical alert and resolves it when the alert resolves', async () => {
    const source = `alerting-${randomUUID().slice(0, 8)}`;
    const alert = { fingerprint: `am-${randomUUID().slice(0, 8)}`, severity: 'critical' };
    const t0 = Date.now() - 10 * 60_000;
    const [firing, resolved] = await recordClassified(log, [
      classifiedSignal(source, { at: new Date(t0).toISOString(), level: 'FATAL', message: 'HighErrorRate', alert: { ...alert, status: 'firing' } }),
      classifiedSignal(source, { at: new Date(t0 + 5 * 60_000).toISOString(), level: 'INFO', message: 'HighErrorRate', alert: { fingerprint: alert.fingerprint, status: 'resolved' } }),
    ]);
    await publish(topics.classifications, [firing, resolved]);
    const groupId = uniqueName('correlation');
    consumers.push(await startReplica(kafka, log, topics, groupId));

    await eventually(() => incidentRows(log, source), (rows) => rows[0]?.status === 'resolved');
    const events = await incidentEvents(source);
    expect(events.map((e) => e.type)).toEqual(['IncidentOpened', 'SignalAttached', 'ResolveTimerScheduled', 'IncidentResolved']);
    expect(events[0]).toMatchObject({
      payload: { incidentId: incidentIdFor((firing.payload as { signalId: string }).signalId), severity: 'SEV-2', basis: { rule: 'open.alert-firing', policyVersion: 'correlation-policy/v1' } },
      metadata: { causationId: firing.id, correlationId: firing.metadata.correlationId, actor: 'correlation' },
    });
    expect(events[3]).toMatchObject({
      occurredAt: new Date(t0 + 5 * 60_000),
      payload: { reason: 'its alert resolved', basis: { rule: 'resolve.alert-resolved' } },
      metadata: { causationId: resolved.id, actor: 'correlation' },
    });
    expect((await incidentRows(log, source))[0]).toMatchObject({ status: 'resolved', resolve_due_at: null });
  });

  it("measures the error rate of a source's open incident from its traffic samples and raises severity by the playbook's table", async () => {
    const source = `traffic-${randomUUID().slice(0, 8)}`;
    const at = Date.now() - 60_000;
    const [fatal] = await recordClassified(log, [classifiedSignal(source, { at: new Date(at).toISOString(), level: 'FATAL' })]);
    await publish(topics.classifications, [fatal]);
    const groupId = uniqueName('correlation');
    consumers.push(await startReplica(kafka, log, topics, groupId));
    await eventually(() => incidentRows(log, source), (rows) => rows.length === 1);

    const sample = await recordTraffic(log, { source, windowStart: new Date(at).toISOString(), windowEnd: new Date(at + 60_000).toISOString(), requests: 200, errors: 190 });
    await publish(topics.traffic, [sample]);
    await eventually(() => committedCount(kafka, groupId, topics.traffic), (n) => n === 1);

    const events = await incidentEvents(source);
    expect(events.slice(-2)).toMatchObject([
      { type: 'ErrorRateMeasured', payload: { requests: 200, errors: 190, errorRate: 0.95 }, metadata: { causationId: sample.id } },
      { type: 'SeverityChanged', payload: { from: 'SEV-3', to: 'SEV-1', reason: 'production down: 95.0% of requests failing', basis: { rule: 'severity.production-down' } } },
    ]);
  });

  it('opens on the error rate of the latest traffic sample: one ERROR from a source failing 20% of its requests', async () => {
    const source = `rate-${randomUUID().slice(0, 8)}`;
    const at = Date.now() - 60_000;
    await recordTraffic(log, { source, windowStart: new Date(at - 60_000).toISOString(), windowEnd: new Date(at).toISOString(), requests: 100, errors: 20 });
    const [error] = await recordClassified(log, [classifiedSignal(source, { at: new Date(at).toISOString() })]);
    await publish(topics.classifications, [error]);
    consumers.push(await startReplica(kafka, log, topics, uniqueName('correlation')));

    const events = await incidentEvents(source);
    expect(events[0]).toMatchObject({ type: 'IncidentOpened', payload: { basis: { rule: 'open.error-rate', inputs: { errorRate: 0.2 } } } });
    expect(events.map((e) => e.type)).toContain('ErrorRateMeasured');
  });
});
