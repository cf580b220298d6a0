import { moreSevere } from '@incident/incident-domain';
import { reject } from '../errors';
import { runbookFor } from '../runbooks/runbook-sets';
import type { RunbookSet } from '../runbooks/runbook';
import type { RemediationCommand } from './commands';
import type { ProposedStep, RemediationEvent } from './events';
import { type RemediationPolicy, retryDelayMs } from './policy';
import type { RemediationState, Run } from './state';

type Propose = Extract<RemediationCommand, { kind: 'ProposeRemediation' }>;
type Attempt = Extract<RemediationCommand, { kind: 'RecordStepAttempt' }>;

/**
 * decide(command, state) for one incident's remediation. Pure: `at` and ids come in the command,
 * the runbooks and the policy as arguments. What the incident's course makes pointless (a second
 * proposal while a run is going, cancelling what is over) decides nothing; a command a person or
 * the runner should not have sent throws RemediationCommandRejected.
 */
export function decideRemediation(command: RemediationCommand, state: RemediationState, policy: RemediationPolicy, runbooks: RunbookSet): RemediationEvent[] {
  const run = state.run;
  switch (command.kind) {
    case 'ProposeRemediation':
      return propose(command, run, policy, runbooks);
    case 'CancelRemediation':
      return run?.status === 'active' ? [{ type: 'RemediationCancelled', data: { at: command.at, runId: run.runId, reason: command.reason } }] : [];
    case 'ApproveStep':
      return [{ type: 'StepApproved', data: { at: command.at, runId: approvable(run, command.stepId).runId, stepId: command.stepId, actor: command.actor } }];
    case 'RecordStepAttempt':
      return attempted(command, runnable(run, command), policy);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** On opening, and again when the severity rises (the last run did not hold it), unless a run is going. */
function propose(c: Propose, run: Run | undefined, policy: RemediationPolicy, runbooks: RunbookSet): RemediationEvent[] {
  if (run?.status === 'active') return [];
  if (c.trigger.event === 'SeverityChanged' && !moreSevere(c.trigger.to, c.trigger.from)) return [];
  const severity = c.trigger.event === 'IncidentOpened' ? c.trigger.severity : c.trigger.to;
  const runbook = runbookFor(c.incidentType, runbooks);
  const steps: ProposedStep[] = runbook.steps.map((s) => ({
    ...s,
    target: s.dependency ?? c.source,
    requiresApproval: s.production && policy.approval === 'production',
  }));
  const basis = {
    rule: `runbook.${c.incidentType}`,
    policyVersion: `${runbooks.version}+${policy.version}`,
    inputs: { incidentType: c.incidentType, severity, trigger: c.trigger.event, approval: policy.approval, maxAttemptsPerStep: policy.maxAttemptsPerStep },
  };
  const events: RemediationEvent[] = [
    {
      type: 'RemediationProposed',
      data: {
        at: c.at, incidentId: c.incidentId, runId: c.runId, incidentType: c.incidentType, severity, source: c.source, trigger: c.trigger.event,
        runbook: { id: runbook.id, version: runbook.version, title: runbook.title }, steps, basis,
      },
    },
  ];
  if (steps[0]?.requiresApproval) events.push({ type: 'StepApprovalRequested', data: { at: c.at, runId: c.runId, stepId: steps[0].id } });
  return events;
}

/** A step of the going run that waits for approval and has none yet; later steps may be approved ahead. */
function approvable(run: Run | undefined, stepId: string): Run {
  if (!run) throw reject.notFound('a remediation for this incident');
  if (run.status !== 'active') throw reject.conflict('RUN_NOT_ACTIVE', `the remediation run is ${run.status}`);
  const index = run.steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw reject.notFound(`step ${stepId} in runbook ${run.runbook.id} v${run.runbook.version}`);
  const step = run.steps[index];
  if (!step.requiresApproval) throw reject.conflict('APPROVAL_NOT_REQUIRED', `step ${stepId} does not wait for approval`);
  if (run.approvals[stepId]) throw reject.conflict('ALREADY_APPROVED', `step ${stepId} was approved by ${run.approvals[stepId].by} at ${run.approvals[stepId].at}`);
  if (index < run.current) throw reject.conflict('STEP_ALREADY_RUN', `step ${stepId} has already run`);
  return run;
}

/** The runner may only record an attempt of the current step, in order, once it is approved. */
function runnable(run: Run | undefined, c: Attempt): Run {
  if (!run || run.runId !== c.runId || run.status !== 'active') throw reject.conflict('NOT_RUNNABLE', `run ${c.runId} is not the going run`);
  const step = run.steps[run.current];
  if (step?.id !== c.stepId) throw reject.conflict('NOT_RUNNABLE', `step ${c.stepId} is not the next step`);
  if (step.requiresApproval && !run.approvals[step.id]) throw reject.conflict('NOT_APPROVED', `step ${c.stepId} waits for approval`);
  if (c.attempt !== run.attempts + 1) throw reject.conflict('NOT_RUNNABLE', `attempt ${c.attempt} of ${c.stepId} is out of order (next: ${run.attempts + 1})`);
  return run;
}

function attempted(c: Attempt, run: Run, policy: RemediationPolicy): RemediationEvent[] {
  const step = run.steps[run.current];
  const base = { at: c.at, runId: c.runId, stepId: c.stepId, attempt: c.attempt, executor: c.executor };
  const events: RemediationEvent[] = [{ type: 'StepAttempted', data: { ...base, action: step.action, target: step.target } }];
  const o = c.outcome;
  if (o.ok) {
    events.push({ type: 'StepSucceeded', data: { ...base, output: o.output } });
    const next = run.steps[run.current + 1];
    if (!next) events.push({ type: 'RemediationCompleted', data: { at: c.at, runId: c.runId, steps: run.steps.length } });
    else if (next.requiresApproval && !run.approvals[next.id]) events.push({ type: 'StepApprovalRequested', data: { at: c.at, runId: c.runId, stepId: next.id } });
    return events;
  }
  // A failed step never completes the run: it is tried again within its bounds, or the run fails.
  const willRetry = o.retryable && c.attempt < policy.maxAttemptsPerStep;
  const retryAt = willRetry ? new Date(Date.parse(c.at) + retryDelayMs(policy, c.attempt)).toISOString() : undefined;
  events.push({
    type: 'StepFailed',
    data: { ...base, error: o.error, retryable: o.retryable, maxAttempts: policy.maxAttemptsPerStep, willRetry, ...(retryAt ? { retryAt } : {}) },
  });
  if (!willRetry) {
    const why = o.retryable ? `gave up after ${c.attempt} attempts` : 'failed and cannot be retried';
    events.push({ type: 'RemediationFailed', data: { at: c.at, runId: c.runId, stepId: c.stepId, attempts: c.attempt, reason: `step ${c.stepId} ${why}: ${o.error}` } });
  }
  return events;
}
