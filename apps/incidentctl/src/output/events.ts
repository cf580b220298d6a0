import type { StoredEvent } from '@incident/event-store';
import { type Column, renderTable } from './table';

/** An event as auditors get it: everything stored, its place in the log and its chain link. */
export interface EventRecord {
  version: number;
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  globalPosition: string;
  transactionId: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
}

export function eventRecord(e: StoredEvent): EventRecord {
  return {
    version: e.streamVersion,
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    globalPosition: e.globalPosition,
    transactionId: e.transactionId,
    payload: e.payload,
    metadata: e.metadata,
    hash: e.hash,
  };
}

/** Who acted: the payload's own actor, else the metadata's (as the timeline decides it). */
export function actorOf(e: Pick<EventRecord, 'payload' | 'metadata'>): string | undefined {
  const actor = e.payload['actor'] ?? e.metadata['actor'];
  return typeof actor === 'string' && actor.length > 0 ? actor : undefined;
}

/** The event's own time (`at` in the payload) when it has one: what the domain decided on. */
export function eventTimeOf(e: Pick<EventRecord, 'payload' | 'occurredAt'>): string {
  const at = e.payload['at'];
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isNaN(ms) ? e.occurredAt : new Date(ms).toISOString();
}

const EVENT_COLUMNS: Column<EventRecord>[] = [
  { header: 'VERSION', value: (e) => e.version, align: 'right' },
  { header: 'RECORDED AT', value: (e) => e.recordedAt },
  { header: 'EVENT TIME', value: (e) => eventTimeOf(e) },
  { header: 'TYPE', value: (e) => e.type },
  { header: 'ACTOR', value: (e) => actorOf(e) },
  { header: 'POSITION', value: (e) => e.globalPosition, align: 'right' },
  { header: 'HASH', value: (e) => `${e.hash.slice(0, 16)}…` },
];

export function eventsTable(events: readonly EventRecord[]): string {
  return renderTable(events, EVENT_COLUMNS);
}
