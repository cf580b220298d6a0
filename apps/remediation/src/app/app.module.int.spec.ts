import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Streams } from '@incident/contracts';
import { hashApiKey, loadApiKeys, loadServiceConfig, METRICS_REGISTRY } from '@incident/service-runtime';
import { toKafkaMessage } from '@incident/messaging';
import { appRoleUrl, createScratchEventStore, createTopics, deleteTopics, eventually, kafkaBrokers, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { opened, recordIncident, types } from '../int-support/fixture';
import { AppModule } from './app.module';

const WRITER = 'ik_writer_0123456789abcdefghijklmnop';
const READER = 'ik_reader_0123456789abcdefghijklmnop';

// The Nest wiring as `main.ts` builds it, on a scratch schema and topics of its own: the consumer,
// the pollers and the HTTP endpoints of the remediation service itself.
describe('remediation service wiring (real PostgreSQL and Kafka, HTTP)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let app: INestApplication | undefined;
  let base = '';
  const topic = uniqueName('remediation-app');
  const topics = [topic, `${topic}-dlq`];

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('remediation-app-int');
    await createTopics(kafka, topics, 2);
    const env = {
      DATABASE_URL: appRoleUrl(log.adminUrl),
      EVENT_LOG_SCHEMA: log.schema,
      KAFKA_BROKERS: kafkaBrokers(),
      KAFKA_LOG_LEVEL: 'nothing',
      KAFKA_DEAD_LETTER_TOPIC: `${topic}-dlq`,
      REMEDIATION_TIMER_POLL_MS: '100',
      INCIDENT_API_KEYS: JSON.stringify([
        { name: 'alice', scopes: ['incidents:write', 'incidents:read'], sha256: hashApiKey(WRITER) },
        { name: 'auditor', scopes: ['incidents:read'], sha256: hashApiKey(READER) },
      ]),
    };
    const config = loadServiceConfig('remediation', 8083, env);
    app = await NestFactory.create(AppModule.forRoot({ config, apiKeys: loadApiKeys(env, config.environment), env }, { groupId: uniqueName('remediation'), incidentsTopic: topic, topics: [] }), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await deleteTopics(kafka, topics);
    await log?.dispose();
  });

  const call = (method: string, path: string, key: string | null = WRITER, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> }));

  it('opens the circuit breaker of an API failure once a person approves the step, and resets it by hand', async () => {
    const incidentId = randomUUID();
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at: new Date(Date.now() - 60_000).toISOString(), severity: 'SEV-2', type: 'api_failure', source: 'agent-gateway' })]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(open)] });
    await producer.disconnect();

    const proposal = await eventually(() => call('GET', `/v1/incidents/${incidentId}/remediation`, READER), (r) => r.status === 200);
    expect(proposal.body).toMatchObject({ incidentId, version: 2, run: { runbook: { id: 'api-failure-circuit-breaker', version: 1 }, status: 'active' }, next: { kind: 'awaiting-approval', stepId: 'open-circuit-breaker' } });

    // An auditor's key reads but never approves; no key at all is a 401.
    expect((await call('POST', `/v1/incidents/${incidentId}/remediation/steps/open-circuit-breaker/approve`, READER)).status).toBe(403);
    expect((await call('POST', `/v1/incidents/${incidentId}/remediation/steps/open-circuit-breaker/approve`, null)).status).toBe(401);
    expect(await call('POST', `/v1/incidents/${incidentId}/remediation/steps/open-circuit-breaker/approve`, WRITER, { expectedVersion: 1 })).toMatchObject({ status: 409, body: { error: 'stale_version', actualVersion: 2 } });
    expect(await call('POST', `/v1/incidents/${incidentId}/remediation/steps/check-api/approve`)).toMatchObject({ status: 409, body: { error: 'APPROVAL_NOT_REQUIRED' } });
    expect(await call('POST', `/v1/incidents/${incidentId}/remediation/steps/no-such-step/approve`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await call('POST', `/v1/incidents/not-a-uuid/remediation/steps/x/approve`)).toMatchObject({ status: 400, body: { error: 'bad_request' } });

    expect(await call('POST', `/v1/incidents/${incidentId}/remediation/steps/open-circuit-breaker/approve`, WRITER, { expectedVersion: 2 })).toMatchObject({
      status: 200,
      body: { incidentId, stepId: 'open-circuit-breaker', version: 3, events: ['StepApproved'] },
    });
    expect((await call('POST', `/v1/incidents/${incidentId}/remediation/steps/open-circuit-breaker/approve`)).body).toMatchObject({ error: 'ALREADY_APPROVED' });

    await eventually(() => types(log, Streams.remediation(incidentId)), (t) => t.at(-1) === 'RemediationCompleted');
    const breaker = await eventually(() => call('GET', '/v1/circuit-breakers/claude-api', READER), (r) => r.status === 200);
    expect(breaker.body).toMatchObject({ status: 'open', dependency: 'claude-api', incidentId });

    expect((await call('POST', '/v1/circuit-breakers/claude-api/reset', READER)).status).toBe(403);
    expect(await call('POST', '/v1/circuit-breakers/claude-api/reset', WRITER, { reason: 'Claude API answers again' })).toMatchObject({ status: 200, body: { dependency: 'claude-api', status: 'closed', version: 2 } });
    expect(await call('POST', '/v1/circuit-breakers/claude-api/reset')).toMatchObject({ status: 409, body: { error: 'ALREADY_CLOSED' } });
    expect(await call('POST', '/v1/circuit-breakers/never-opened/reset')).toMatchObject({ status: 404 });
    const reset = (await log.store.readStream(Streams.circuitBreaker('claude-api')))[1];
    expect(reset).toMatchObject({ type: 'CircuitBreakerReset', payload: { actor: 'alice', reason: 'Claude API answers again' }, metadata: { actor: 'alice' } });

    const metrics = await app?.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(/remediation_step_attempts_total\{[^}]*executor="dry-run",outcome="succeeded"[^}]*\} 2/);
  });
});
