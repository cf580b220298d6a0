import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import type { IdempotentConsumer } from '@incident/messaging';
import { toKafkaMessage } from '@incident/messaging';
import { createScratchEventStore, createTopics, deleteTopics, eventually, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { acknowledged, opened, recordIncident, replicaDeps, resolved, startConsumer, timerRows, types } from '../int-support/fixture';

const MINUTE = 60_000;

// Real PostgreSQL (a scratch schema) and the real broker (topics of this file's own).
describe('remediation reacts to incident events (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: IdempotentConsumer | undefined;
  const topic = uniqueName('remediation-incidents');
  const dlq = `${topic}-dlq`;

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('remediation-react');
    await createTopics(kafka, [topic, dlq], 2);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    consumer = await startConsumer(kafka, log, topic, dlq, replicaDeps(log));
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await deleteTopics(kafka, [topic, dlq]);
    await log?.dispose();
  });

  const publish = (events: StoredEvent[]) => producer.send({ topic, acks: -1, messages: events.map(toKafkaMessage) });

  it("proposes the runbook of an opened incident's type and schedules its acknowledgement deadline, once however often the message comes", async () => {
    const incidentId = randomUUID();
    const at = new Date(Date.now() - 10 * MINUTE).toISOString();
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at, severity: 'SEV-3', type: 'plugin_crash', source: 'plugin-host' })]);
    await publish([open, open]);

    const remediation = await eventually(() => log.store.readStream(Streams.remediation(incidentId)), (e) => e.length === 1);
    expect(remediation[0]).toMatchObject({
      type: 'RemediationProposed',
      occurredAt: new Date(at),
      payload: { incidentId, incidentType: 'plugin_crash', severity: 'SEV-3', runbook: { id: 'plugin-crash-loop', version: 1 }, trigger: 'IncidentOpened' },
      metadata: { causationId: open.id, correlationId: open.metadata.correlationId, actor: 'remediation' },
    });
    expect((remediation[0].payload['steps'] as { id: string; target: string }[]).map((s) => `${s.id}@${s.target}`)).toEqual([
      'check-dependency@postgresql', 'restart-dependency@postgresql', 'verify-dependency@postgresql', 'restart-plugin@plugin-host',
    ]);
    const incident = await eventually(() => log.store.readStream(Streams.incident(incidentId)), (e) => e.length === 2);
    expect(incident[1]).toMatchObject({ type: 'AcknowledgementDeadlineScheduled', payload: { dueAt: new Date(Date.parse(at) + 60 * MINUTE).toISOString(), severity: 'SEV-3' } });
    // The duplicate delivery decided nothing more.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await types(log, Streams.incident(incidentId))).toEqual(['IncidentOpened', 'AcknowledgementDeadlineScheduled']);
    expect(await types(log, Streams.remediation(incidentId))).toEqual(['RemediationProposed']);
    expect(await timerRows(log, incidentId)).toMatchObject([
      { kind: 'acknowledgement', due_at: new Date(Date.parse(at) + 60 * MINUTE) },
      { kind: 'step', due_at: new Date(at) },
    ]);
  });

  it('clears the deadline when the incident is acknowledged', async () => {
    const incidentId = randomUUID();
    const at = new Date(Date.now() - MINUTE).toISOString();
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at, severity: 'SEV-2' })]);
    await publish([open]);
    await eventually(() => timerRows(log, incidentId), (rows) => rows.some((r) => r.kind === 'acknowledgement' && r.due_at !== null));
    const [ack] = await recordIncident(log, incidentId, [acknowledged(new Date().toISOString())]);
    await publish([ack]);
    await eventually(() => timerRows(log, incidentId), (rows) => rows.some((r) => r.kind === 'acknowledgement' && r.due_at === null));
  });

  it('cancels the going run and clears the deadline when the incident resolves', async () => {
    const incidentId = randomUUID();
    const at = new Date(Date.now() - MINUTE).toISOString();
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at, severity: 'SEV-2', type: 'rate_limit' })]);
    await publish([open]);
    await eventually(() => types(log, Streams.remediation(incidentId)), (t) => t.length === 2);
    const [done] = await recordIncident(log, incidentId, [resolved(new Date().toISOString())]);
    await publish([done]);
    await eventually(() => types(log, Streams.remediation(incidentId)), (t) => t.at(-1) === 'RemediationCancelled');
    expect(await types(log, Streams.remediation(incidentId))).toEqual(['RemediationProposed', 'StepApprovalRequested', 'RemediationCancelled']);
    expect((await timerRows(log, incidentId)).map((r) => [r.kind, r.due_at])).toEqual([['acknowledgement', null], ['step', null]]);
  });

  it('proposes again when the severity rises after the last run ended, and brings the deadline forward', async () => {
    const incidentId = randomUUID();
    const at = Date.now() - 30 * MINUTE;
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at: new Date(at).toISOString(), severity: 'SEV-3', type: 'timeout' })]);
    await publish([open]);
    await eventually(() => types(log, Streams.incident(incidentId)), (t) => t.length === 2);
    const [raised] = await recordIncident(log, incidentId, [
      { type: 'SeverityChanged', data: { at: new Date(at + 5 * MINUTE).toISOString(), from: 'SEV-3', to: 'SEV-1', reason: 'production down', basis: { rule: 'severity.production-down', policyVersion: 'correlation-policy/v1', inputs: {} }, actor: 'correlation' } },
    ]);
    await publish([raised]);
    const incident = await eventually(() => log.store.readStream(Streams.incident(incidentId)), (e) => e.length === 4);
    expect(incident[3]).toMatchObject({ type: 'AcknowledgementDeadlineScheduled', payload: { dueAt: new Date(at + 5 * MINUTE).toISOString(), severity: 'SEV-1', basis: { rule: 'escalation.severity-raised' } } });
    // The first run is still going (its first step waits for approval): no second proposal.
    expect(await types(log, Streams.remediation(incidentId))).toEqual(['RemediationProposed', 'StepApprovalRequested']);
  });
});
