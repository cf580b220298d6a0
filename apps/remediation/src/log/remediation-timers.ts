import type { EntityManager } from 'typeorm';

/**
 * `remediation_timers` (migration CreateRemediationTimers): what is due, per incident.
 * - `acknowledgement`: the pending acknowledgement deadline (a function of the incident stream);
 * - `step`: when the next step of the going remediation run may run (a function of its stream);
 * - `escalation-webhook`: an escalation still to be delivered to ESCALATION_WEBHOOK_URL (an outbox).
 * The first two can be rebuilt by folding the streams again; the log stays the source of truth.
 */
export type TimerKind = 'acknowledgement' | 'step' | 'escalation-webhook';

export interface TimerRow {
  kind: TimerKind;
  key: string;
  incidentId: string;
  dueAt: Date | null;
  attempts: number;
  payload: Record<string, unknown> | null;
}

export class RemediationTimers {
  private readonly table: string;

  constructor(schema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.table = `"${schema}".remediation_timers`;
  }

  /**
   * Every writer of a stream this service decides for locks the stream's row first (row, then
   * stream: one order, so no deadlock), which also keeps the pollers off it meanwhile. The row is
   * created when missing, so there is always something to lock.
   */
  async lock(tx: EntityManager, kind: TimerKind, incidentId: string): Promise<void> {
    await tx.query(`INSERT INTO ${this.table} (kind, key, incident_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [kind, incidentId, incidentId]);
    await tx.query(`SELECT 1 FROM ${this.table} WHERE kind = $1 AND key = $2 FOR UPDATE`, [kind, incidentId]);
  }

  /**
   * Claims one timer of `kind` due at `now`. SKIP LOCKED: a row another replica's poller (or a
   * consumer, or an approval) holds is passed over, so no two fire the same timer at once.
   */
  async claimDue(tx: EntityManager, kind: TimerKind, now: Date, skip: readonly string[]): Promise<TimerRow | undefined> {
    const rows: { kind: TimerKind; key: string; incident_id: string; due_at: Date | null; attempts: number; payload: Record<string, unknown> | null }[] = await tx.query(
      `SELECT kind, key, incident_id, due_at, attempts, payload FROM ${this.table}
        WHERE kind = $1 AND due_at <= $2 AND NOT (key = ANY($3::text[]))
        ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [kind, now, skip],
    );
    const r = rows[0];
    return r && { kind: r.kind, key: r.key, incidentId: r.incident_id, dueAt: r.due_at, attempts: r.attempts, payload: r.payload };
  }

  /** Sets when a stream's timer is due (null: nothing pending); never moves back to an older stream version. */
  async schedule(tx: EntityManager, kind: 'acknowledgement' | 'step', incidentId: string, dueAt: string | undefined, streamVersion: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} AS t (kind, key, incident_id, due_at, stream_version, updated_at) VALUES ($1, $2, $5, $3, $4, now())
       ON CONFLICT (kind, key) DO UPDATE SET due_at = EXCLUDED.due_at, stream_version = EXCLUDED.stream_version, updated_at = now()
       WHERE t.stream_version <= EXCLUDED.stream_version`,
      [kind, incidentId, dueAt ?? null, streamVersion, incidentId],
    );
  }

  /** Queues a delivery (outbox): written in the transaction that records what it delivers. */
  async enqueue(tx: EntityManager, kind: 'escalation-webhook', key: string, incidentId: string, payload: Record<string, unknown>, dueAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} (kind, key, incident_id, due_at, payload) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [kind, key, incidentId, dueAt, JSON.stringify(payload)],
    );
  }

  /** After a delivery attempt: when to try again (null: delivered, or given up) and why the last one failed. */
  async attempted(tx: EntityManager, row: TimerRow, next: Date | null, lastError: string | null): Promise<void> {
    await tx.query(
      `UPDATE ${this.table} SET attempts = attempts + 1, due_at = $3, last_error = $4, updated_at = now() WHERE kind = $1 AND key = $2`,
      [row.kind, row.key, next, lastError],
    );
  }
}
