// Helpers for *.int.spec.ts only: incident histories appended to a scratch log as correlation and
// the responder API write them, and the pieces the Nest module wires, wired the same way.
import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { decideResponder, foldIncident, type IncidentEvent, type ResponderCommand } from '@incident/incident-domain';
import { IdempotentConsumer } from '@incident/messaging';
import type { ScratchEventStore } from '@incident/testing';
import type { Kafka } from 'kafkajs';
import { draftPostmortemHandler } from '../draft-postmortem/draft-postmortem';
import { PostmortemDueReadModel } from '../log/postmortem-due';
import type { PostmortemDeps } from '../log/postmortem-log';
import { quietLogger } from '@incident/testing';

export function postmortemDeps(log: ScratchEventStore): PostmortemDeps {
  return { store: log.store, due: new PostmortemDueReadModel(log.schema) };
}

export async function startReplica(kafka: Kafka, log: ScratchEventStore, topics: { incidents: string; deadLetter: string }, groupId: string): Promise<IdempotentConsumer> {
  const consumer = new IdempotentConsumer({ kafka, dataSource: log.dataSource }, [draftPostmortemHandler(postmortemDeps(log), topics.incidents)], {
    groupId,
    schema: log.schema,
    deadLetterTopic: topics.deadLetter,
    maxWaitTimeMs: 500,
    logger: quietLogger,
  });
  await consumer.start();
  return consumer;
}

type Input = ResponderCommand extends infer C ? (C extends ResponderCommand ? Omit<C, 'at' | 'actor'> : never) : never;

/** An incident's stream in a scratch log, appended to as correlation and the responder API do. */
export class IncidentOnLog {
  readonly id = randomUUID();
  private events: IncidentEvent[] = [];

  constructor(private readonly log: ScratchEventStore) {}

  async opened(at: string, title = 'timeout in code-review-agent: Agent execution timed out after 300000ms'): Promise<StoredEvent[]> {
    const classification = { type: 'timeout' as const, fingerprint: 'code-review-agent|agent:code-review|timeout', source: 'code-review-agent', ruleId: 'timeout.timed-out', ruleSetVersion: 'classifier-rules/v1' };
    const basis = { rule: 'open.failure-count', policyVersion: 'correlation-policy/v1', inputs: {} };
    const signal = { signalId: randomUUID(), at, bucket: `${at.slice(0, 13)}:00:00.000Z`, level: 'ERROR' as const, component: 'agent:code-review', errorCode: 'ETIMEDOUT', userId: 'user-1' };
    return this.append(
      [
        { type: 'IncidentOpened', data: { incidentId: this.id, at, fingerprint: classification.fingerprint, incidentType: 'timeout', source: 'code-review-agent', title, severity: 'SEV-3', basis, classification } },
        { type: 'SignalAttached', data: signal },
      ],
      'correlation',
    );
  }

  /** A responder command, decided by the incident domain on the stream so far. */
  async respond(at: string, actor: string, input: Input): Promise<StoredEvent[]> {
    return this.append(decideResponder({ ...input, at, actor } as ResponderCommand, foldIncident(this.events)), actor);
  }

  private async append(events: IncidentEvent[], actor: string): Promise<StoredEvent[]> {
    const { appended } = await this.log.store.append(
      Streams.incident(this.id),
      events.map((e) => ({ id: randomUUID(), type: e.type, schemaVersion: 1, occurredAt: new Date(e.data.at), payload: { ...e.data }, metadata: { actor, correlationId: randomUUID() } })),
      { expectedVersion: this.events.length === 0 ? 'no_stream' : this.events.length },
    );
    this.events.push(...events);
    return appended;
  }
}

export async function postmortemStream(log: ScratchEventStore, incidentId: string): Promise<StoredEvent[]> {
  return log.store.readStream(Streams.postmortem(incidentId));
}

export interface DueRecord {
  due_at: Date;
  overdue_at: Date | null;
  stream_version: number;
}

export async function dueRows(log: ScratchEventStore, incidentId: string): Promise<DueRecord[]> {
  return log.dataSource.query(`SELECT due_at, overdue_at, stream_version FROM "${log.schema}".postmortem_due WHERE incident_id = $1`, [incidentId]);
}

export const minutesAfter = (base: string, n: number) => new Date(Date.parse(base) + n * 60_000).toISOString();
