import { deterministicUuid, Streams } from '@incident/contracts';
import { decideCircuitBreaker, decideRemediation, nextAction, type ProposedStep } from '@incident/remediation-domain';
import { inTimerSpan } from '@incident/telemetry';
import type { EntityManager } from 'typeorm';
import { type Cause, toNewEvents } from '../log/decision-events';
import { recordRemediation } from '../log/record-remediation';
import { type RemediationDeps, retryOnConflict } from '../log/remediation-deps';

/**
 * Runs the next step of an incident's remediation, whose row the caller has claimed: one attempt
 * through the executor, then the attempt and its outcome recorded together. The call happens
 * while the row is held (bounded by the executor's timeout), so no replica runs the same attempt
 * at once; a crash before the commit records nothing and the attempt runs again, under the same
 * delivery id, which a webhook receiver can de-duplicate on. The attempt runs in a `fire step
 * timer` span of the incident's trace.
 */
export async function runStep(tx: EntityManager, deps: RemediationDeps, incidentId: string, clock: () => Date): Promise<void> {
  const remediation = await deps.streams.remediation(incidentId);
  const next = nextAction(remediation.state);
  if (next.kind !== 'execute' || Date.parse(next.dueAt) > clock().getTime()) {
    // The row is out of line with the log (approval pending, run over, retry later): set it from the log.
    await deps.timers.schedule(tx, 'step', incidentId, next.kind === 'execute' ? next.dueAt : undefined, remediation.version);
    return;
  }
  const { runId, step, attempt } = next;
  // The run's trace (its last event's): the executor's call and what it records land in it.
  const attributes = { 'remediation.run_id': runId, 'remediation.step_id': step.id, 'remediation.attempt': attempt };
  await inTimerSpan({ kind: 'step', incidentId, recorded: remediation.last?.metadata, firedAt: clock(), attributes }, async () => {
    const deliveryId = deterministicUuid('remediation-step', `${runId}/${step.id}/${attempt}`);
    const approvedBy = remediation.state.run?.approvals[step.id]?.by;
    const result = await deps.executor.execute({ incidentId, runId, step, attempt, deliveryId, ...(approvedBy ? { approvedBy } : {}) });
    const at = clock().toISOString();
    const events = decideRemediation({ kind: 'RecordStepAttempt', runId, stepId: step.id, attempt, executor: result.executor, outcome: result.outcome, at }, remediation.state, deps.policy, deps.runbooks);
    // The stream's last event is the cause: the same attempt, run again after a crash, gets the same ids.
    const cause: Cause = remediation.last ?? { eventId: deliveryId, metadata: {} };
    await recordRemediation(tx, deps, incidentId, remediation, events, cause);
    deps.metrics?.attempted(result.executor, result.outcome.ok ? 'succeeded' : 'failed');
    if (result.outcome.ok && step.action === 'open_circuit_breaker') await openCircuitBreaker(tx, deps, incidentId, runId, step, at, { ...cause, eventId: deliveryId });
  });
}

/** The breaker's state is recorded once the step that opens it ran. */
async function openCircuitBreaker(tx: EntityManager, deps: RemediationDeps, incidentId: string, runId: string, step: ProposedStep, at: string, cause: Cause): Promise<void> {
  await retryOnConflict(tx, deps, async () => {
    const breaker = await deps.streams.circuitBreaker(step.target);
    const command = { kind: 'OpenCircuitBreaker' as const, dependency: step.target, incidentId, runId, stepId: step.id, reason: step.description, at };
    const events = decideCircuitBreaker(command, breaker.state);
    if (events.length === 0) return;
    const streamId = Streams.circuitBreaker(step.target);
    await deps.store.append(streamId, toNewEvents(streamId, events, cause), { expectedVersion: breaker.version, manager: tx });
  });
}
