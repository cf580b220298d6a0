import { deterministicUuid, type EventEnvelope, Streams } from '@incident/contracts';
import type { EventMetadata, EventStore, NewEvent, StoredEvent } from '@incident/event-store';
import {
  evolvePostmortem,
  foldPostmortem,
  historyEvent,
  type HistoryEvent,
  isPostmortemEventType,
  mergeHistories,
  POSTMORTEM_ACTOR,
  type PostmortemEvent,
  type PostmortemState,
} from '@incident/postmortem-domain';
import type { EntityManager } from 'typeorm';
import { type DueRow, dueRow, type PostmortemDueReadModel } from './postmortem-due';

/** What every postmortem slice works with. Framework-free: the Nest module only builds it. */
export interface PostmortemDeps {
  store: EventStore;
  due: PostmortemDueReadModel;
  metrics?: { decided(command: string, events: readonly PostmortemEvent[]): void };
}

/** The event a decision reacts to: an incident event, or the recorded due time of a draft. */
export interface Cause {
  eventId: string;
  metadata: EventMetadata;
}

export interface FoldedPostmortem {
  state: PostmortemState;
  /** The stream's version (0: no stream yet), for the append's expected version. */
  version: number;
  /** The metadata of the stream's last event (its trace context is the incident's trace). */
  lastMetadata?: EventMetadata;
}

export async function readPostmortem(store: EventStore, incidentId: string): Promise<FoldedPostmortem> {
  const stored = await store.readStream(Streams.postmortem(incidentId));
  const events = stored.flatMap((e) => (isPostmortemEventType(e.type) ? [{ type: e.type, data: e.payload } as PostmortemEvent] : []));
  const last = stored[stored.length - 1];
  return { state: foldPostmortem(events), version: last?.streamVersion ?? 0, ...(last ? { lastMetadata: last.metadata } : {}) };
}

/**
 * The incident's history as the trigger saw it: its stream up to the trigger's version, and the
 * remediation runs the log had recorded by then. Bounded both ways, so a replay of the trigger
 * reads the same history.
 */
export async function historyAsOf(store: EventStore, incidentId: string, trigger: Pick<EventEnvelope, 'streamVersion' | 'recordedAt'>): Promise<HistoryEvent[]> {
  const incident = await store.readStream(Streams.incident(incidentId), { toVersion: trigger.streamVersion });
  const remediation = await store.readStream(Streams.remediation(incidentId), { asOf: new Date(trigger.recordedAt) });
  return mergeHistories(incident.map(historyEvent), remediation.map(historyEvent));
}

/** A stored incident event, as the trigger of a draft. */
export function triggerOf(stored: Pick<StoredEvent, 'type' | 'streamVersion' | 'occurredAt' | 'payload'>): { type: string; version: number; at: string } {
  const { type, version, at } = historyEvent({ ...stored, metadata: {} });
  return { type, version, at };
}

/**
 * Appends decided events at the version they were decided on and moves the read-model row in
 * the same transaction. Ids derive from the cause, so a retried decision appends the same ids.
 */
export async function recordPostmortemEvents(
  tx: EntityManager,
  deps: PostmortemDeps,
  incidentId: string,
  folded: FoldedPostmortem,
  events: readonly PostmortemEvent[],
  cause: Cause,
): Promise<DueRow | undefined> {
  if (events.length === 0) return undefined;
  const streamId = Streams.postmortem(incidentId);
  const result = await deps.store.append(streamId, toNewEvents(streamId, events, cause), {
    expectedVersion: folded.version === 0 ? 'no_stream' : folded.version,
    manager: tx,
  });
  const row = dueRow(events.reduce(evolvePostmortem, folded.state), result.nextExpectedVersion);
  if (row) await deps.due.upsert(tx, row);
  return row;
}

export function toNewEvents(streamId: string, events: readonly PostmortemEvent[], cause: Cause): NewEvent[] {
  const text = (key: string) => (typeof cause.metadata[key] === 'string' && cause.metadata[key] !== '' ? (cause.metadata[key] as string) : undefined);
  const metadata: EventMetadata = {
    causationId: cause.eventId,
    correlationId: text('correlationId') ?? cause.eventId,
    ...(text('traceparent') ? { traceparent: text('traceparent') } : {}),
    actor: POSTMORTEM_ACTOR,
  };
  return events.map((event, index) => ({
    id: deterministicUuid('postmortem', `${cause.eventId}/${streamId}/${index}`),
    type: event.type,
    schemaVersion: 1,
    occurredAt: new Date(event.data.at),
    payload: { ...event.data } as Record<string, unknown>,
    metadata,
  }));
}

/** Serialises the writers of one incident's postmortem (consumer and poller, any replica) for the transaction. */
export async function lockPostmortem(tx: EntityManager, deps: PostmortemDeps, incidentId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`postmortem:${deps.due.schema}:${incidentId}`]);
}
