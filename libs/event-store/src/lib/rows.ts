import type { EventMetadata, StoredEvent } from './types';

/** What every read selects; prev_hash only where the chain itself is checked. */
export const EVENT_COLUMNS =
  'event_id, stream_id, stream_version, global_position, transaction_id, type, schema_version, ' +
  'occurred_at, recorded_at, payload, metadata, hash';

/** A row as node-postgres returns it: bigint and xid8 as strings, jsonb parsed, timestamptz as Date. */
export interface EventRow {
  event_id: string;
  stream_id: string;
  stream_version: number;
  global_position: string;
  transaction_id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  payload: Record<string, unknown>;
  metadata: EventMetadata;
  hash: string;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    transactionId: row.transaction_id,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    payload: row.payload,
    metadata: row.metadata,
    hash: row.hash,
  };
}
