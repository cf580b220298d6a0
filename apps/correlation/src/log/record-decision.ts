import { Streams } from '@incident/contracts';
import { ConcurrencyError, type EventStore } from '@incident/event-store';
import {
  type CorrelationDecision,
  type CorrelationPolicy,
  evolveIncident,
  type IncidentEvent,
  initialIncident,
} from '@incident/incident-domain';
import type { EntityManager } from 'typeorm';
import { type Cause, toNewEvents } from './decision-events';
import type { FoldedIncident, FoldedStreams } from './folded-streams';
import { incidentRow, type IncidentsReadModel } from './incidents-read-model';

export interface CorrelationMetrics {
  /** A decision was taken on state that another writer had moved on; it is being taken again. */
  conflict(): void;
  decided(command: string, decision: CorrelationDecision): void;
}

/** What every correlation slice works with. Framework-free: the Nest module only builds it. */
export interface CorrelationDeps {
  store: EventStore;
  streams: FoldedStreams;
  readModel: IncidentsReadModel;
  policy: CorrelationPolicy;
  /** Schema of the log, so advisory locks of two schemas (tests) never collide. */
  schema: string;
  /** Decisions re-taken after a version conflict before the message counts as failed. */
  maxConflictRetries: number;
  metrics?: CorrelationMetrics;
}

const SAVEPOINT = 'correlation_decision';

/**
 * Runs one decide-and-append attempt under a savepoint and, when an append finds that the
 * stream moved since it was read (another replica, or a rebalance, got there first), rolls the
 * attempt back and runs it again on state read afresh. Bounded: after the last conflict the
 * error propagates and the consumer's own retries and dead-lettering take over.
 */
export async function retryOnConflict<T>(tx: EntityManager, deps: CorrelationDeps, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    await tx.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const result = await attempt();
      await tx.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return result;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || n >= deps.maxConflictRetries) throw error;
      await tx.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      deps.metrics?.conflict();
    }
  }
}

/**
 * Appends an incident's decided events at the version they were decided on ('no_stream' for a
 * new incident) and moves its read-model row in the same transaction.
 */
export async function recordIncidentEvents(
  tx: EntityManager,
  deps: CorrelationDeps,
  incident: FoldedIncident,
  incidentId: string,
  events: readonly IncidentEvent[],
  cause: Cause,
): Promise<void> {
  if (events.length === 0) return;
  const opens = events[0].type === 'IncidentOpened';
  const streamId = Streams.incident(incidentId);
  const result = await deps.store.append(streamId, toNewEvents(streamId, events, cause), {
    expectedVersion: opens ? 'no_stream' : incident.version,
    manager: tx,
  });
  const state = events.reduce(evolveIncident, opens ? initialIncident : incident.state);
  const row = incidentRow(state, result.nextExpectedVersion);
  if (row) await deps.readModel.upsert(tx, row);
}
