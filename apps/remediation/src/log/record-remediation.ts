import { Streams } from '@incident/contracts';
import { evolveRemediation, nextAction, type RemediationEvent, type RemediationState } from '@incident/remediation-domain';
import type { EntityManager } from 'typeorm';
import { type Cause, toNewEvents } from './decision-events';
import type { Folded } from './folded-streams';
import type { RemediationDeps } from './remediation-deps';

const RUN_OUTCOMES: Partial<Record<RemediationEvent['type'], 'completed' | 'failed' | 'cancelled'>> = {
  RemediationCompleted: 'completed',
  RemediationFailed: 'failed',
  RemediationCancelled: 'cancelled',
};

/**
 * Appends a remediation decision at the version it was decided on and, in the same transaction,
 * sets when the run's next step is due (none while it waits for approval or is over). `metadata`
 * replaces the cause's (a person's command has no causing event). Returns the state after the events.
 */
export async function recordRemediation(
  tx: EntityManager,
  deps: RemediationDeps,
  incidentId: string,
  folded: Folded<RemediationState>,
  events: readonly RemediationEvent[],
  cause: Cause,
  metadata?: Cause['metadata'],
): Promise<{ state: RemediationState; version: number }> {
  let state = folded.state;
  let version = folded.version;
  if (events.length > 0) {
    const streamId = Streams.remediation(incidentId);
    const newEvents = toNewEvents(streamId, events, cause).map((e) => (metadata ? { ...e, metadata } : e));
    const result = await deps.store.append(streamId, newEvents, { expectedVersion: folded.version, manager: tx });
    version = result.nextExpectedVersion;
    state = events.reduce(evolveRemediation, state);
    for (const event of events) {
      const outcome = RUN_OUTCOMES[event.type];
      if (outcome) deps.metrics?.finished?.(outcome);
    }
  }
  const next = nextAction(state);
  await deps.timers.schedule(tx, 'step', incidentId, next.kind === 'execute' ? next.dueAt : undefined, version);
  return { state, version };
}
