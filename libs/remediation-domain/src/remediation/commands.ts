import type { IncidentType, Severity } from '@incident/contracts';
import type { RemediationTrigger, StepOutput } from './events';

/** What an executor answered for one attempt. `retryable`: trying again may help (timeout, 5xx). */
export type AttemptOutcome = { ok: true; output: StepOutput } | { ok: false; error: string; retryable: boolean };

export type RemediationCommand =
  | {
      kind: 'ProposeRemediation';
      incidentId: string;
      /** Derived by the caller from the causing event, so a retried decision proposes the same run. */
      runId: string;
      incidentType: IncidentType;
      source: string;
      trigger: { event: 'IncidentOpened'; severity: Severity } | { event: 'SeverityChanged'; from: Severity; to: Severity };
      at: string;
    }
  | { kind: 'CancelRemediation'; reason: string; at: string }
  | { kind: 'ApproveStep'; stepId: string; actor: string; at: string }
  | { kind: 'RecordStepAttempt'; runId: string; stepId: string; attempt: number; executor: string; outcome: AttemptOutcome; at: string };

export type { RemediationTrigger };
