import type { IncidentState } from '@incident/incident-domain';
import type { EntityManager } from 'typeorm';

/**
 * `correlation_incidents` (migration CreateCorrelationIncidents): which incidents are open, per
 * source, and when their resolve timer is due. Written in the transaction that appends the
 * incident events it summarises; every column is a function of the folded incident stream
 * (`incidentRow`), so the table can be rebuilt by folding each incident stream again.
 */
export interface IncidentRow {
  incidentId: string;
  fingerprint: string;
  source: string;
  status: 'open' | 'resolved';
  resolveDueAt: string | null;
  streamVersion: number;
}

export function incidentRow(state: IncidentState, streamVersion: number): IncidentRow | undefined {
  if (state.status === 'none') return undefined;
  return {
    incidentId: state.id,
    fingerprint: state.fingerprint,
    source: state.source,
    status: state.status,
    resolveDueAt: state.status === 'open' ? (state.resolveTimerDueAt ?? null) : null,
    streamVersion,
  };
}

export class IncidentsReadModel {
  private readonly table: string;

  constructor(schema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.table = `"${schema}".correlation_incidents`;
  }

  /**
   * Every writer of an incident stream locks its row first (row, then stream: one order, so no
   * deadlock), which also keeps the timer poller off an incident a consumer is working on.
   * Several at once in id order, the same order in every transaction.
   */
  async lockAll(tx: EntityManager, incidentIds: readonly string[]): Promise<void> {
    if (incidentIds.length === 0) return;
    await tx.query(`SELECT 1 FROM ${this.table} WHERE incident_id = ANY($1::uuid[]) ORDER BY incident_id FOR UPDATE`, [[...new Set(incidentIds)]]);
  }

  /** Open incidents of several sources, locked in id order in one statement: incident id -> source. */
  async lockOpenOfSources(tx: EntityManager, sources: readonly string[]): Promise<Map<string, string>> {
    const rows: { incident_id: string; source: string }[] = await tx.query(
      `SELECT incident_id, source FROM ${this.table} WHERE source = ANY($1::text[]) AND status = 'open' ORDER BY incident_id FOR UPDATE`,
      [[...new Set(sources)]],
    );
    return new Map(rows.map((r) => [r.incident_id, r.source]));
  }

  /**
   * Claims one incident whose timer is due at `now`. SKIP LOCKED: a row another replica's poller
   * (or a consumer) holds is passed over, so two replicas never fire the same timer at once.
   */
  async claimDue(tx: EntityManager, now: Date, skip: readonly string[]): Promise<string | undefined> {
    const rows: { incident_id: string }[] = await tx.query(
      `SELECT incident_id FROM ${this.table}
        WHERE status = 'open' AND resolve_due_at <= $1 AND NOT (incident_id = ANY($2::uuid[]))
        ORDER BY resolve_due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now, skip],
    );
    return rows[0]?.incident_id;
  }

  /** Moves a row forward only: a replayed older state never overwrites a newer one. */
  async upsert(tx: EntityManager, row: IncidentRow): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} AS r (incident_id, fingerprint, source, status, resolve_due_at, stream_version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (incident_id) DO UPDATE
         SET status = EXCLUDED.status, resolve_due_at = EXCLUDED.resolve_due_at,
             stream_version = EXCLUDED.stream_version, updated_at = EXCLUDED.updated_at
       WHERE r.stream_version < EXCLUDED.stream_version`,
      [row.incidentId, row.fingerprint, row.source, row.status, row.resolveDueAt, row.streamVersion],
    );
  }
}
