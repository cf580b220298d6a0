import type { IncidentType, Severity } from '@incident/contracts';
import type { DecisionBasis } from '@incident/incident-domain';
import type { RunbookRef, RunbookStep } from '../runbooks/runbook';

/** A runbook step as proposed for one incident: what it acts on, and whether it waits for approval. */
export interface ProposedStep extends RunbookStep {
  /** The service or dependency the step acts on (the incident's source unless the step names a dependency). */
  readonly target: string;
  readonly requiresApproval: boolean;
}

/** What an executor reports; recorded as it is, so plain values only. */
export type StepOutput = Readonly<Record<string, string | number | boolean>>;

export type RemediationTrigger = 'IncidentOpened' | 'SeverityChanged';

// Stream `remediation-<incidentId>`, written by the remediation service. Every event has its own
// event time `at`; a run is identified by `runId`, derived from the event that caused it.
export type RemediationEvent =
  | {
      type: 'RemediationProposed';
      data: {
        at: string; incidentId: string; runId: string; incidentType: IncidentType; severity: Severity; source: string;
        trigger: RemediationTrigger; runbook: RunbookRef & { title: string }; steps: ProposedStep[]; basis: DecisionBasis;
      };
    }
  | { type: 'StepApprovalRequested'; data: { at: string; runId: string; stepId: string } }
  | { type: 'StepApproved'; data: { at: string; runId: string; stepId: string; actor: string } }
  | { type: 'StepAttempted'; data: { at: string; runId: string; stepId: string; attempt: number; executor: string; action: string; target: string } }
  | { type: 'StepSucceeded'; data: { at: string; runId: string; stepId: string; attempt: number; executor: string; output: StepOutput } }
  | {
      type: 'StepFailed';
      data: { at: string; runId: string; stepId: string; attempt: number; executor: string; error: string; retryable: boolean; maxAttempts: number; willRetry: boolean; retryAt?: string };
    }
  | { type: 'RemediationCompleted'; data: { at: string; runId: string; steps: number } }
  | { type: 'RemediationFailed'; data: { at: string; runId: string; stepId: string; attempts: number; reason: string } }
  | { type: 'RemediationCancelled'; data: { at: string; runId: string; reason: string } };

export type RemediationEventType = RemediationEvent['type'];

export const REMEDIATION_EVENT_TYPES: readonly RemediationEventType[] = [
  'RemediationProposed', 'StepApprovalRequested', 'StepApproved', 'StepAttempted', 'StepSucceeded', 'StepFailed',
  'RemediationCompleted', 'RemediationFailed', 'RemediationCancelled',
];

export function isRemediationEventType(type: string): type is RemediationEventType {
  return (REMEDIATION_EVENT_TYPES as readonly string[]).includes(type);
}
