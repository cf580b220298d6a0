import { CheckpointStore, EventStore, START, type StoredEvent } from '@incident/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { INCIDENT_EVENT_TYPES, incidentIdOf, toIncidentEvent } from '../incident-events';
import { applyBatch, type IncidentRow, type ProjectedEvent, userKey, usersToClaim } from './incident-row';
import { type IncidentRecord, incidentsSql, schemaOf, toRecordJson, toRow } from './incidents-sql';

export const INCIDENTS_CHECKPOINT = 'projection:incidents';

export interface IncidentProjectionOptions {
  /** Incident events read per transaction (the other events it passes meanwhile are not counted). */
  batchSize?: number;
}

/** Log events passed (of any type) and incident rows written by one batch, or 'busy' when another replica had the lock. */
export type BatchOutcome = { read: number; rowsChanged: number } | 'busy';

/**
 * The `incidents` read model, fed from the whole log. Each batch is one transaction: read after
 * the checkpoint, write the changed rows, move the checkpoint. A crash before COMMIT leaves both
 * where they were, so the batch is replayed and counted once; the rows' version guard makes even
 * a replay over newer rows a no-op. Framework-free, so `incidentctl projections rebuild` can use it.
 */
export class IncidentProjection {
  readonly schema: string;
  private readonly sql: ReturnType<typeof incidentsSql>;
  private readonly lockKey: string;
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    options: IncidentProjectionOptions = {},
  ) {
    this.schema = schemaOf(dataSource);
    this.sql = incidentsSql(this.schema);
    // Advisory locks are per database, so the key names the schema: scratch schemas don't contend.
    this.lockKey = `${INCIDENTS_CHECKPOINT}@${this.schema}`;
    this.batchSize = options.batchSize ?? 500;
  }

  /**
   * One batch. 'busy' when another replica holds the projection: replicas take turns on a
   * transaction-level advisory lock rather than apply the same events side by side.
   */
  runBatch(): Promise<BatchOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // JIT off for this transaction, in the same round trip: from far behind (a rebuild) the
      // filtered read's estimate grows with the log, and compiling would cost more than the read.
      const [{ locked }]: { locked: boolean }[] = await manager.query(
        "SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked, set_config('jit', 'off', true)",
        [this.lockKey],
      );
      if (!locked) return 'busy';
      const from = await this.checkpoints.load(INCIDENTS_CHECKPOINT, manager);
      // Only the incident event types leave the database: signals and classifications, most of
      // the log, were read and JSON-parsed here only to be dropped. The page still moves past them.
      const page = await this.store.readAllOfTypes(from, INCIDENT_EVENT_TYPES, { limit: this.batchSize, manager });
      if (page.passed === 0) return { read: 0, rowsChanged: 0 };
      const rowsChanged = await this.apply(manager, page.events.flatMap(projected));
      await this.checkpoints.store(INCIDENTS_CHECKPOINT, page.position, manager);
      return { read: page.passed, rowsChanged };
    });
  }

  /** Empties the read model and rewinds its checkpoint; the next batches rebuild it from the log. */
  async rebuild(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Waits for a running batch instead of racing it; rows and checkpoint then go back together.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      // DELETE rather than TRUNCATE: the services' role is not granted TRUNCATE (nor should it be),
      // and DELETE does not take an exclusive lock that would stall list requests meanwhile.
      for (const statement of this.sql.clear) await manager.query(statement);
      await this.checkpoints.store(INCIDENTS_CHECKPOINT, START, manager);
    });
  }

  private async apply(manager: EntityManager, events: ProjectedEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const ids = [...new Set(events.map((e) => e.incidentId))];
    const records: IncidentRecord[] = await manager.query(this.sql.selectByIds, [ids]);
    const rows = new Map<string, IncidentRow>(records.map((r) => [r.id, toRow(r)]));
    const claim = usersToClaim(rows, events);
    const claimed: { incident_id: string; user_id: string }[] =
      claim.length === 0 ? [] : await manager.query(this.sql.claimUsers, [claim.map((c) => c.incidentId), claim.map((c) => c.userId)]);
    const changed = applyBatch(rows, events, new Set(claimed.map((c) => userKey(c.incident_id, c.user_id))));
    if (changed.size > 0) await manager.query(this.sql.upsert, [JSON.stringify([...changed.values()].map(toRecordJson))]);
    return changed.size;
  }
}

/** Incident events of the page; everything else in the log (signals, classifications) passes by. */
function projected(stored: StoredEvent): ProjectedEvent[] {
  const incidentId = incidentIdOf(stored.streamId);
  const event = incidentId ? toIncidentEvent(stored) : undefined;
  if (!incidentId || !event) return [];
  return [{ incidentId, streamVersion: stored.streamVersion, occurredAt: stored.occurredAt.toISOString(), event }];
}
