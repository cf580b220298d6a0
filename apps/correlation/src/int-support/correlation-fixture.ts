import { randomUUID } from 'node:crypto';
import { SIGNAL_CLASSIFIED, type SignalClassifiedV1, Streams, TRAFFIC_SAMPLED, type TrafficSampledV1 } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { POLICY_V1 } from '@incident/incident-domain';
import { IdempotentConsumer } from '@incident/messaging';
import type { ScratchEventStore } from '@incident/testing';
import type { Kafka } from 'kafkajs';
import { correlateSignalHandler } from '../correlate-signal/correlate-signal';
import { FoldedStreams } from '../log/folded-streams';
import { IncidentsReadModel } from '../log/incidents-read-model';
import type { CorrelationDeps } from '../log/record-decision';
import { measureErrorRateHandler } from '../measure-error-rate/measure-error-rate';
import type { CorrelationTopics } from './correlation-int-env';
import { quietLogger } from '@incident/testing';

// Helpers for *.int.spec.ts only: the pieces the Nest module wires, wired the same way against a
// scratch schema, so a test can run two "replicas" (two consumers, two caches) side by side.

export interface Conflicts {
  count: number;
}

/** What one correlation replica holds: its own caches, the shared log. */
export function replicaDeps(log: ScratchEventStore, conflicts: Conflicts = { count: 0 }): CorrelationDeps {
  return {
    store: log.store,
    schema: log.schema,
    policy: POLICY_V1,
    maxConflictRetries: 10,
    streams: new FoldedStreams(log.store, log.dataSource, log.schema, POLICY_V1, { correlations: 1_000, incidents: 100, sources: 1_000 }),
    readModel: new IncidentsReadModel(log.schema),
    metrics: { conflict: () => void (conflicts.count += 1), decided: () => undefined },
  };
}

export async function startReplica(
  kafka: Kafka,
  log: ScratchEventStore,
  topics: CorrelationTopics,
  groupId: string,
  deps = replicaDeps(log),
): Promise<IdempotentConsumer> {
  const consumer = new IdempotentConsumer(
    { kafka, dataSource: log.dataSource },
    [correlateSignalHandler(deps, topics.classifications), measureErrorRateHandler(deps, topics.traffic)],
    { groupId, schema: log.schema, deadLetterTopic: topics.deadLetter, maxWaitTimeMs: 500, logger: quietLogger },
  );
  await consumer.start();
  return consumer;
}

/** A classified signal as the classifier records it; fields override a 429 from `source`. */
export function classifiedSignal(source: string, fields: Partial<SignalClassifiedV1> = {}): SignalClassifiedV1 {
  const type = fields.classification?.type ?? 'rate_limit';
  return {
    signalId: randomUUID(),
    source,
    at: new Date().toISOString(),
    level: 'ERROR',
    message: 'Rate limit exceeded',
    component: 'agent:planner',
    errorCode: '429',
    ...fields,
    classification: {
      type,
      fingerprint: `${source}|agent:planner|${type}`,
      ruleId: 'rate-limit.http-429',
      ruleSetVersion: 'classifier-rules/v1',
      evidence: { errorCode: '429' },
      ...fields.classification,
    },
  };
}

/** Appends classified signals to their classification stream (as the classifier would) and returns them as stored. */
export async function recordClassified(log: ScratchEventStore, signals: readonly SignalClassifiedV1[], metadata: Record<string, string> = {}): Promise<StoredEvent[]> {
  const stored: StoredEvent[] = [];
  for (let i = 0; i < signals.length; i += 500) {
    const chunk = signals.slice(i, i + 500);
    const { appended } = await log.store.append(
      Streams.classification(chunk[0].classification.fingerprint),
      chunk.map((payload) => ({
        id: randomUUID(),
        type: SIGNAL_CLASSIFIED,
        schemaVersion: 1,
        occurredAt: new Date(payload.at),
        payload,
        metadata: { correlationId: `req-${payload.signalId}`, causationId: randomUUID(), actor: 'classifier', ...metadata },
      })),
      { expectedVersion: 'any' },
    );
    stored.push(...appended);
  }
  return stored;
}

export async function recordTraffic(log: ScratchEventStore, sample: TrafficSampledV1): Promise<StoredEvent> {
  const { appended } = await log.store.append(
    Streams.source(sample.source),
    [{ id: randomUUID(), type: TRAFFIC_SAMPLED, schemaVersion: 1, occurredAt: new Date(sample.windowEnd), payload: sample, metadata: { correlationId: randomUUID(), actor: 'ingest' } }],
    { expectedVersion: 'any' },
  );
  return appended[0];
}

export interface IncidentRowRecord {
  incident_id: string;
  status: string;
  resolve_due_at: Date | null;
  stream_version: number;
}

export async function incidentRows(log: ScratchEventStore, source: string): Promise<IncidentRowRecord[]> {
  return log.dataSource.query(
    `SELECT incident_id, status, resolve_due_at, stream_version FROM "${log.schema}".correlation_incidents WHERE source = $1 ORDER BY incident_id`,
    [source],
  );
}
