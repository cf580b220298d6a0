import type { EventMetadata, StoredEvent } from './types';

/** What every read selects, in this order; verify adds prev_hash as a 13th column. */
export const EVENT_COLUMNS =
  'event_id, stream_id, stream_version, global_position, transaction_id, type, schema_version, ' +
  'occurred_at, recorded_at, payload, metadata, hash';

/** Positions in a row read with EVENT_COLUMNS (rows come back as arrays: see row-query.ts). */
export const COL = {
  eventId: 0,
  streamId: 1,
  streamVersion: 2,
  globalPosition: 3,
  transactionId: 4,
  type: 5,
  schemaVersion: 6,
  occurredAt: 7,
  recordedAt: 8,
  payload: 9,
  metadata: 10,
  hash: 11,
  prevHash: 12,
} as const;

/** After EVENT_COLUMNS in readAllOfTypes rows: how far the page reached. */
export const REACH_COL = { transactionId: 12, globalPosition: 13 } as const;

export function toStoredEvent(row: unknown[]): StoredEvent {
  return {
    id: row[COL.eventId] as string,
    streamId: row[COL.streamId] as string,
    streamVersion: row[COL.streamVersion] as number,
    globalPosition: row[COL.globalPosition] as string,
    transactionId: row[COL.transactionId] as string,
    type: row[COL.type] as string,
    schemaVersion: row[COL.schemaVersion] as number,
    occurredAt: row[COL.occurredAt] as Date,
    recordedAt: row[COL.recordedAt] as Date,
    payload: row[COL.payload] as Record<string, unknown>,
    metadata: row[COL.metadata] as EventMetadata,
    hash: row[COL.hash] as string,
  };
}
