import { SIGNAL_CLASSIFIED, SIGNAL_RECEIVED, TRAFFIC_SAMPLED, upcastPayload } from '@incident/contracts';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent, RecordedLog, ReplayWindow } from './recorded';

interface Row {
  position: string;
  id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const COLUMNS = `global_position::text AS position, event_id AS id, stream_id, stream_version, type, schema_version,
  occurred_at, recorded_at, payload, metadata`;

/**
 * Reads what the replay needs of the real log. The caller runs this in one REPEATABLE READ, READ
 * ONLY transaction: one consistent snapshot, and no statement of it can write to the log.
 * Everything is read through the payload upcasts, as the services read it.
 */
export async function readRecorded(tx: EntityManager, s: string, window: ReplayWindow): Promise<RecordedLog> {
  const sources = window.sources && window.sources.length > 0 ? [...window.sources] : null;
  const inputs = await query(
    tx,
    `SELECT ${COLUMNS} FROM ${s}.events
      WHERE type IN ($1, $2) AND recorded_at >= $3 AND recorded_at <= $4
        AND ($5::text[] IS NULL OR (CASE WHEN type = $1 THEN payload->'signal'->>'source' ELSE payload->>'source' END) = ANY($5::text[]))
      ORDER BY global_position`,
    [SIGNAL_RECEIVED, TRAFFIC_SAMPLED, window.from, window.to, sources],
  );
  const receivedIds = inputs.filter((e) => e.type === SIGNAL_RECEIVED).map((e) => e.id);
  const classifications = await query(
    tx,
    `SELECT ${COLUMNS} FROM ${s}.events
      WHERE type = $1 AND recorded_at >= $2 AND metadata->>'causationId' = ANY($3::text[])
      ORDER BY global_position`,
    [SIGNAL_CLASSIFIED, window.from, receivedIds],
  );
  const causes = [...classifications.map((e) => e.id), ...inputs.filter((e) => e.type === TRAFFIC_SAMPLED).map((e) => e.id)];
  // Decisions the window's inputs caused are read however late the pipeline recorded them; the
  // rest (timer firings, responders) only up to the window's end, as the replay sees them.
  const decisions = await query(
    tx,
    `SELECT ${COLUMNS} FROM ${s}.events
      WHERE recorded_at >= $1 AND (stream_id LIKE 'incident-%' OR stream_id LIKE 'correlation-%')
        AND (recorded_at <= $2 OR metadata->>'causationId' = ANY($3::text[]))
      ORDER BY global_position`,
    [window.from, window.to, causes],
  );
  return { inputs, classifications, decisions };
}

async function query(tx: EntityManager, sql: string, params: unknown[]): Promise<RecordedEvent[]> {
  const rows: Row[] = await tx.query(sql, params);
  return rows.map(toRecorded);
}

function toRecorded(row: Row): RecordedEvent {
  const { schemaVersion, payload } = upcastPayload(row.type, row.schema_version, row.payload);
  return {
    id: row.id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion,
    payload,
    metadata: row.metadata,
    occurredAt: new Date(row.occurred_at).toISOString(),
    recordedAt: new Date(row.recorded_at).toISOString(),
    position: BigInt(row.position),
  };
}
