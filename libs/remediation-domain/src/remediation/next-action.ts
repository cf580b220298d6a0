import type { ProposedStep } from './events';
import type { RemediationState } from './state';

/** What the step runner should do next for one incident's remediation. */
export type NextAction =
  | { kind: 'idle' }
  | { kind: 'awaiting-approval'; runId: string; step: ProposedStep }
  | { kind: 'execute'; runId: string; step: ProposedStep; attempt: number; dueAt: string };

export function nextAction(state: RemediationState): NextAction {
  const run = state.run;
  if (!run || run.status !== 'active') return { kind: 'idle' };
  const step = run.steps[run.current];
  if (!step) return { kind: 'idle' };
  if (step.requiresApproval && !run.approvals[step.id]) return { kind: 'awaiting-approval', runId: run.runId, step };
  return { kind: 'execute', runId: run.runId, step, attempt: run.attempts + 1, dueAt: run.readyAt };
}
