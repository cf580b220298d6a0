import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Streams, type Severity, type IncidentType } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import type { IncidentEvent } from '@incident/incident-domain';
import { IdempotentConsumer } from '@incident/messaging';
import type { ScratchEventStore } from '@incident/testing';
import type { Kafka } from 'kafkajs';
import type { RemediationSettings } from '../app/remediation-config';
import { remediationDeps } from '../app/remediation-core.module';
import type { RemediationDeps } from '../log/remediation-deps';
import { reactToIncidentHandler } from '../react-to-incidents/react-to-incident';
import { quietLogger } from '@incident/testing';

// Helpers for *.int.spec.ts only: the pieces the Nest module wires, wired the same way against a
// scratch schema, so a test can run two "replicas" side by side and drive their clocks.

export function settings(overrides: Partial<RemediationSettings> = {}): RemediationSettings {
  return {
    executor: { kind: 'dry-run' },
    policy: { approval: 'production', maxAttemptsPerStep: 3, retryBackoff: { initialMs: 50, maxMs: 200 } },
    timers: { pollIntervalMs: 50, batch: 20 },
    cacheStreams: 100,
    maxConflictRetries: 10,
    ...overrides,
  };
}

export function replicaDeps(log: ScratchEventStore, s: RemediationSettings = settings()): RemediationDeps {
  return remediationDeps(s, log.store, log.schema);
}

export async function startConsumer(kafka: Kafka, log: ScratchEventStore, topic: string, deadLetterTopic: string, deps: RemediationDeps): Promise<IdempotentConsumer> {
  const consumer = new IdempotentConsumer({ kafka, dataSource: log.dataSource }, [reactToIncidentHandler(deps, topic)], {
    groupId: `remediation-${randomUUID().slice(0, 8)}`,
    schema: log.schema,
    deadLetterTopic,
    maxWaitTimeMs: 500,
    logger: quietLogger,
  });
  await consumer.start();
  return consumer;
}

/** An IncidentOpened as correlation records it; `at` in the past makes its deadline due in event time. */
export function opened(fields: { incidentId?: string; at: string; severity: Severity; type?: IncidentType; source?: string }): IncidentEvent {
  const incidentId = fields.incidentId ?? randomUUID();
  const type = fields.type ?? 'rate_limit';
  const source = fields.source ?? `svc-${incidentId.slice(0, 8)}`;
  const fingerprint = `${source}|agent:planner|${type}`;
  return {
    type: 'IncidentOpened',
    data: {
      incidentId, at: fields.at, fingerprint, incidentType: type, source, title: `${type} in ${source}`, severity: fields.severity,
      basis: { rule: 'open.fatal', policyVersion: 'correlation-policy/v1', inputs: {} },
      classification: { type, fingerprint, source, ruleId: 'test', ruleSetVersion: 'classifier-rules/v1' },
    },
  };
}

export function acknowledged(at: string, actor = 'alice'): IncidentEvent {
  return { type: 'IncidentAcknowledged', data: { at, actor } };
}

export function resolved(at: string): IncidentEvent {
  return { type: 'IncidentResolved', data: { at, reason: 'fixed', basis: { rule: 'responder.resolve', policyVersion: 'responder/v1', inputs: {} }, actor: 'alice' } };
}

/** Appends incident events as correlation or the API would, returning them as stored. */
export async function recordIncident(log: ScratchEventStore, incidentId: string, events: readonly IncidentEvent[]): Promise<StoredEvent[]> {
  const { appended } = await log.store.append(
    Streams.incident(incidentId),
    events.map((e) => ({ id: randomUUID(), type: e.type, schemaVersion: 1, occurredAt: new Date(e.data.at), payload: { ...e.data }, metadata: { correlationId: randomUUID(), actor: 'correlation' } })),
    { expectedVersion: 'any' },
  );
  return appended;
}

export interface TimerRecord {
  kind: string;
  key: string;
  due_at: Date | null;
  attempts: number;
  last_error: string | null;
  payload: Record<string, unknown> | null;
}

export async function timerRows(log: ScratchEventStore, incidentId: string): Promise<TimerRecord[]> {
  return log.dataSource.query(
    `SELECT kind, key, due_at, attempts, last_error, payload FROM "${log.schema}".remediation_timers WHERE incident_id = $1 ORDER BY kind, key`,
    [incidentId],
  );
}

export async function types(log: ScratchEventStore, streamId: string): Promise<string[]> {
  return (await log.store.readStream(streamId)).map((e) => e.type);
}

export interface Received {
  path: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server that records every request and answers with what `answer` says. */
export async function testServer(answer: (r: Received, n: number) => { status: number; delayMs?: number; body?: string } = () => ({ status: 204 })) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const a = answer(r, received.length);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body ?? '');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const SECRET = 'test-secret-0123456789';
