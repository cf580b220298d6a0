import { randomUUID } from 'node:crypto';
import { Streams, verifySignature } from '@incident/contracts';
import type { IdempotentConsumer } from '@incident/messaging';
import { toKafkaMessage } from '@incident/messaging';
import { createScratchEventStore, createTopics, deleteTopics, eventually, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { timerPollers } from '../app/remediation-core.module';
import { acknowledged, opened, recordIncident, replicaDeps, SECRET, settings, startConsumer, testServer, timerRows, types } from '../int-support/fixture';
import type { TimerPoller } from '../timers/timer-poller';

const MINUTE = 60_000;

// Real PostgreSQL and Kafka; a local HTTP server stands in for the escalation webhook.
describe('response-time escalation (real PostgreSQL and Kafka, a local webhook)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: IdempotentConsumer | undefined;
  let pollers: TimerPoller[] = [];
  const topic = uniqueName('remediation-escalation');
  const dlq = `${topic}-dlq`;

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('remediation-escalation');
    await createTopics(kafka, [topic, dlq], 1);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    consumer = await startConsumer(kafka, log, topic, dlq, replicaDeps(log));
  });

  afterEach(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    pollers = [];
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await deleteTopics(kafka, [topic, dlq]);
    await log?.dispose();
  });

  /** An incident opened `minutesAgo` in event time, with its deadline scheduled by the consumer. */
  async function openedIncident(minutesAgo: number, severity: 'SEV-1' | 'SEV-2' = 'SEV-2') {
    const incidentId = randomUUID();
    const at = new Date(Date.now() - minutesAgo * MINUTE).toISOString();
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at, severity })]);
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(open)] });
    await eventually(() => timerRows(log, incidentId), (rows) => rows.some((r) => r.kind === 'acknowledgement' && r.due_at !== null));
    return { incidentId, at };
  }

  /** Only the deadline and delivery pollers (the step poller is another spec's business). */
  function startPollers(s = settings()) {
    const started = timerPollers(log.dataSource, replicaDeps(log, s), s).filter((_, i) => i !== 1);
    for (const p of started) p.start();
    pollers.push(...started);
  }

  it('escalates a SEV-2 left unacknowledged past 15 minutes exactly once with two replicas polling, and sends it signed to the webhook', async () => {
    const hook = await testServer();
    try {
      const s = settings({ escalationWebhook: { url: `${hook.url}/escalations`, secret: SECRET, timeoutMs: 2_000, maxAttempts: 3, backoffMs: 50 } });
      const { incidentId, at } = await openedIncident(20);
      startPollers(s);
      startPollers(s);
      await eventually(async () => hook.received.length, (n) => n >= 1);
      await new Promise((r) => setTimeout(r, 500)); // more ticks: nothing more may happen
      await Promise.all(pollers.map((p) => p.stop()));

      const events = await log.store.readStream(Streams.incident(incidentId));
      expect(events.map((e) => e.type)).toEqual(['IncidentOpened', 'AcknowledgementDeadlineScheduled', 'IncidentEscalated']);
      const deadline = new Date(Date.parse(at) + 15 * MINUTE).toISOString();
      const escalated = events[2];
      expect(escalated).toMatchObject({
        occurredAt: new Date(deadline),
        payload: { deadline, severity: 'SEV-2', basis: { rule: 'escalation.unacknowledged', policyVersion: 'escalation-policy/v1' } },
        metadata: { causationId: events[1].id, actor: 'remediation' },
      });
      expect(escalated.payload['missedByMs']).toBeGreaterThanOrEqual(5 * MINUTE);

      expect(hook.received).toHaveLength(1);
      const [call] = hook.received;
      expect(call).toMatchObject({ method: 'POST', path: '/escalations', headers: { 'x-incident-event': 'incident.escalated', 'x-incident-delivery': escalated.id } });
      expect(verifySignature(call.body, SECRET, call.headers['x-incident-signature'] as string)).toBe(true);
      expect(verifySignature(call.body, 'another-secret-0123456', call.headers['x-incident-signature'] as string)).toBe(false);
      expect(JSON.parse(call.body)).toMatchObject({ type: 'incident.escalated', deliveryId: escalated.id, incidentId, severity: 'SEV-2', deadline, attempt: 1 });
      expect(await timerRows(log, incidentId)).toMatchObject([
        { kind: 'acknowledgement', due_at: null },
        { kind: 'escalation-webhook', key: escalated.id, due_at: null, attempts: 1, last_error: null },
        { kind: 'step' },
      ]);
    } finally {
      await hook.close();
    }
  });

  it('never escalates an incident acknowledged before its deadline fired, however late the timer runs', async () => {
    const { incidentId } = await openedIncident(20);
    const [ack] = await recordIncident(log, incidentId, [acknowledged(new Date().toISOString())]);
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(ack)] });
    await eventually(() => timerRows(log, incidentId), (rows) => rows.some((r) => r.kind === 'acknowledgement' && r.due_at === null));
    const [deadlines] = timerPollers(log.dataSource, replicaDeps(log), settings(), () => new Date(Date.now() + 48 * 60 * MINUTE));
    await deadlines.tick();
    expect(await types(log, Streams.incident(incidentId))).toEqual(['IncidentOpened', 'AcknowledgementDeadlineScheduled', 'IncidentAcknowledged']);
  });

  it('does not fire a deadline that is not due, even after a poll', async () => {
    const { incidentId } = await openedIncident(5);
    const [deadlines] = timerPollers(log.dataSource, replicaDeps(log), settings());
    expect(await deadlines.tick()).not.toContain(incidentId);
    expect(await types(log, Streams.incident(incidentId))).toEqual(['IncidentOpened', 'AcknowledgementDeadlineScheduled']);
  });

  it('records each failed delivery of the escalation and tries again within its bounds, then gives up; the escalation stays recorded', async () => {
    const hook = await testServer(() => ({ status: 503 }));
    try {
      const s = settings({ escalationWebhook: { url: hook.url, secret: SECRET, timeoutMs: 2_000, maxAttempts: 3, backoffMs: 50 } });
      const { incidentId } = await openedIncident(30);
      startPollers(s);
      const rows = await eventually(() => timerRows(log, incidentId), (r) => r.some((x) => x.kind === 'escalation-webhook' && x.attempts === 3));
      await new Promise((r) => setTimeout(r, 500));
      expect(hook.received).toHaveLength(3);
      expect(hook.received.map((c) => JSON.parse(c.body).attempt)).toEqual([1, 2, 3]);
      expect(rows.find((r) => r.kind === 'escalation-webhook')).toMatchObject({ due_at: null, attempts: 3, last_error: `${hook.url} answered 503` });
      expect(await types(log, Streams.incident(incidentId))).toContain('IncidentEscalated');
    } finally {
      await hook.close();
    }
  });
});
