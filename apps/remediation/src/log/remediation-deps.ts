import { ConcurrencyError, type EventStore } from '@incident/event-store';
import type { EscalationPolicy, RemediationPolicy, RunbookSet } from '@incident/remediation-domain';
import type { EntityManager } from 'typeorm';
import type { WebhookTarget } from '../app/remediation-config';
import type { Executor } from '../executors/executor';
import type { FoldedStreams } from './folded-streams';
import type { RemediationTimers } from './remediation-timers';

export interface RemediationMetrics {
  conflict(): void;
  decided(decision: string): void;
  attempted(executor: string, outcome: 'succeeded' | 'failed'): void;
  delivered(outcome: 'delivered' | 'failed' | 'given-up'): void;
  /** An acknowledgement deadline passed unacknowledged (an IncidentEscalated was appended). */
  deadlineMissed?(severity: string): void;
  /** A run ended: completed, failed or cancelled. */
  finished?(outcome: 'completed' | 'failed' | 'cancelled'): void;
}

/** What every remediation slice works with. Framework-free: the Nest module only builds it. */
export interface RemediationDeps {
  store: EventStore;
  streams: FoldedStreams;
  timers: RemediationTimers;
  policy: RemediationPolicy;
  runbooks: RunbookSet;
  escalation: EscalationPolicy;
  executor: Executor;
  /** Where escalations are sent after they are recorded; none: recorded only. */
  escalationWebhook?: WebhookTarget & { maxAttempts: number; backoffMs: number };
  /** Decisions re-taken after a version conflict before the message (or tick) counts as failed. */
  maxConflictRetries: number;
  metrics?: RemediationMetrics;
}

const SAVEPOINT = 'remediation_decision';

/**
 * Runs one decide-and-append attempt under a savepoint and, when an append finds that the stream
 * moved since it was read (correlation or a responder wrote the incident meanwhile), rolls the
 * attempt back and runs it again on state read afresh. Bounded: after the last conflict the error
 * propagates and the consumer's own retries (or the next poll) take over.
 */
export async function retryOnConflict<T>(tx: EntityManager, deps: RemediationDeps, attempt: () => Promise<T>): Promise<T> {
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
