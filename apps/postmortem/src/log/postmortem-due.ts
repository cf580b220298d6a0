import type { PostmortemState } from '@incident/postmortem-domain';
import type { EntityManager } from 'typeorm';

/**
 * `postmortem_due` (migration CreatePostmortemDue): each drafted postmortem, when it is due and
 * whether it was flagged overdue. Written in the transaction that appends the postmortem events
 * it summarises; every column is a function of the folded `postmortem-<incidentId>` stream.
 */
export interface DueRow {
  incidentId: string;
  dueAt: string;
  overdueAt: string | null;
  streamVersion: number;
}

export function dueRow(state: PostmortemState, streamVersion: number): DueRow | undefined {
  if (state.status === 'none') return undefined;
  // A final postmortem is never due again: PostgreSQL's 'infinity' keeps it out of every claim.
  const dueAt = state.status === 'final' ? 'infinity' : state.dueAt;
  return { incidentId: state.incidentId, dueAt, overdueAt: state.overdueAt ?? null, streamVersion };
}

export class PostmortemDueReadModel {
  private readonly table: string;

  constructor(readonly schema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.table = `"${schema}".postmortem_due`;
  }

  /**
   * Claims one draft due at `now` and not flagged yet. SKIP LOCKED: a row another replica's
   * poller holds is passed over, so no two replicas flag the same draft at once.
   */
  async claimDue(tx: EntityManager, now: Date, skip: readonly string[]): Promise<string | undefined> {
    const rows: { incident_id: string }[] = await tx.query(
      `SELECT incident_id FROM ${this.table}
        WHERE overdue_at IS NULL AND due_at <= $1 AND NOT (incident_id = ANY($2::uuid[]))
        ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now, skip],
    );
    return rows[0]?.incident_id;
  }

  /** Moves a row forward only: a replayed older state never overwrites a newer one. */
  async upsert(tx: EntityManager, row: DueRow): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} AS r (incident_id, due_at, overdue_at, stream_version, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (incident_id) DO UPDATE
         SET due_at = EXCLUDED.due_at, overdue_at = EXCLUDED.overdue_at,
             stream_version = EXCLUDED.stream_version, updated_at = EXCLUDED.updated_at
       WHERE r.stream_version < EXCLUDED.stream_version`,
      [row.incidentId, row.dueAt, row.overdueAt, row.streamVersion],
    );
  }

  /** Sets the flag of a row whose stream already says overdue (a row rebuilt from an older state). */
  async markOverdue(tx: EntityManager, incidentId: string, overdueAt: string): Promise<void> {
    await tx.query(`UPDATE ${this.table} SET overdue_at = $2, updated_at = now() WHERE incident_id = $1 AND overdue_at IS NULL`, [incidentId, overdueAt]);
  }
}
