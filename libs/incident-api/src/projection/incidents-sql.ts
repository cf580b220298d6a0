import { DEFAULT_SCHEMA } from '@incident/event-store';
import type { DataSource } from 'typeorm';
import type { IncidentRow } from './incident-row';

/** Column list and types of `incidents` (migration CreateIncidentsProjection1764201600004). */
const COLUMNS = [
  ['id', 'uuid'],
  ['title', 'text'],
  ['type', 'text'],
  ['source', 'text'],
  ['fingerprint', 'text'],
  ['status', 'text'],
  ['severity', 'text'],
  ['opened_at', 'timestamptz'],
  ['resolved_at', 'timestamptz'],
  ['signal_count', 'integer'],
  ['affected_users', 'integer'],
  ['error_rate', 'double precision'],
  ['last_seen_at', 'timestamptz'],
  ['version', 'integer'],
] as const;

const names = COLUMNS.map(([name]) => name).join(', ');

/** What node-postgres returns for a row: timestamptz as Date, the rest as typed. */
export interface IncidentRecord {
  id: string;
  title: string;
  type: string;
  source: string;
  fingerprint: string;
  status: string;
  severity: string;
  opened_at: Date;
  resolved_at: Date | null;
  signal_count: number;
  affected_users: number;
  error_rate: number | null;
  last_seen_at: Date;
  version: number;
}

/** The event log's schema, which the read model shares (its migration lives with the log's). */
export function schemaOf(dataSource: DataSource): string {
  return (dataSource.options as { schema?: string }).schema ?? DEFAULT_SCHEMA;
}

/** Every statement of the read model, for one schema. */
export function incidentsSql(schema: string) {
  // Same rule as the event store's: schema names go into SQL text, so only plain identifiers.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const s = `"${schema}"`;
  return {
    selectByIds: `SELECT ${names} FROM ${s}.incidents WHERE id = ANY($1::uuid[])`,
    // One statement per batch whatever its size; the rows travel as one JSON array.
    upsert: `
      INSERT INTO ${s}.incidents (${names})
      SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})
      ON CONFLICT (id) DO UPDATE SET ${COLUMNS.slice(1).map(([n]) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    claimUsers: `
      INSERT INTO ${s}.incident_users (incident_id, user_id)
      SELECT * FROM unnest($1::uuid[], $2::text[])
      ON CONFLICT DO NOTHING
      RETURNING incident_id, user_id`,
    clear: [`DELETE FROM ${s}.incident_users`, `DELETE FROM ${s}.incidents`],
    /**
     * Keyset pagination in the list's order (opened_at DESC, id): the cursor is the last row's
     * pair, so a page never repeats or skips rows when incidents open between requests.
     */
    list: `
      SELECT ${names} FROM ${s}.incidents
       WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
         AND ($2::text[] IS NULL OR severity = ANY($2::text[]))
         AND ($3::text[] IS NULL OR type = ANY($3::text[]))
         AND ($4::text[] IS NULL OR source = ANY($4::text[]))
         AND ($5::timestamptz IS NULL OR opened_at < $5::timestamptz OR (opened_at = $5::timestamptz AND id > $6::uuid))
       ORDER BY opened_at DESC, id
       LIMIT $7`,
  };
}

export function toRow(r: IncidentRecord): IncidentRow {
  return {
    id: r.id, title: r.title, type: r.type, source: r.source, fingerprint: r.fingerprint, status: r.status,
    severity: r.severity, openedAt: r.opened_at.toISOString(), resolvedAt: r.resolved_at?.toISOString() ?? null,
    signalCount: r.signal_count, affectedUsers: r.affected_users, errorRate: r.error_rate,
    lastSeenAt: r.last_seen_at.toISOString(), version: r.version,
  };
}

/** The row in the column names jsonb_to_recordset matches on. */
export function toRecordJson(row: IncidentRow): Record<string, unknown> {
  return {
    id: row.id, title: row.title, type: row.type, source: row.source, fingerprint: row.fingerprint, status: row.status,
    severity: row.severity, opened_at: row.openedAt, resolved_at: row.resolvedAt, signal_count: row.signalCount,
    affected_users: row.affectedUsers, error_rate: row.errorRate, last_seen_at: row.lastSeenAt, version: row.version,
  };
}
