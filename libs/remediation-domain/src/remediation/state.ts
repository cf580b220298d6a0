import type { RunbookRef } from '../runbooks/runbook';
import type { ProposedStep, RemediationEvent } from './events';

export type RunStatus = 'active' | 'completed' | 'failed' | 'cancelled';

export interface Run {
  runId: string;
  status: RunStatus;
  runbook: RunbookRef;
  steps: readonly ProposedStep[];
  /** Index of the step to run next (steps.length once all succeeded). */
  current: number;
  /** Attempts made of the current step. */
  attempts: number;
  approvals: Readonly<Record<string, { by: string; at: string }>>;
  /** When the current step may run: when it became runnable, or the retry time after a failure. */
  readyAt: string;
}

/** One incident's remediation: its latest run, and how many runs it had. */
export interface RemediationState {
  incidentId?: string;
  run?: Run;
  runs: number;
  version: number;
}

export const initialRemediation: RemediationState = { runs: 0, version: 0 };

export function evolveRemediation(state: RemediationState, event: RemediationEvent): RemediationState {
  const version = state.version + 1;
  if (event.type === 'RemediationProposed') {
    const d = event.data;
    const run: Run = { runId: d.runId, status: 'active', runbook: { id: d.runbook.id, version: d.runbook.version }, steps: d.steps, current: 0, attempts: 0, approvals: {}, readyAt: d.at };
    return { incidentId: d.incidentId, run, runs: state.runs + 1, version };
  }
  const run = state.run;
  // An event of another run than the latest is ignored, never thrown on: a fold must not jam.
  if (!run || run.runId !== event.data.runId) return { ...state, version };
  return { ...state, version, run: evolveRun(run, event) };
}

function evolveRun(run: Run, event: Exclude<RemediationEvent, { type: 'RemediationProposed' }>): Run {
  switch (event.type) {
    case 'StepApprovalRequested':
      return run;
    case 'StepApproved': {
      const approvals = { ...run.approvals, [event.data.stepId]: { by: event.data.actor, at: event.data.at } };
      const isCurrent = run.steps[run.current]?.id === event.data.stepId;
      return { ...run, approvals, readyAt: isCurrent ? event.data.at : run.readyAt };
    }
    case 'StepAttempted':
      return { ...run, attempts: event.data.attempt };
    case 'StepSucceeded':
      return { ...run, current: run.current + 1, attempts: 0, readyAt: event.data.at };
    case 'StepFailed':
      return event.data.willRetry && event.data.retryAt ? { ...run, readyAt: event.data.retryAt } : run;
    case 'RemediationCompleted':
      return { ...run, status: 'completed' };
    case 'RemediationFailed':
      return { ...run, status: 'failed' };
    case 'RemediationCancelled':
      return { ...run, status: 'cancelled' };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function foldRemediation(events: readonly RemediationEvent[]): RemediationState {
  return events.reduce(evolveRemediation, initialRemediation);
}
