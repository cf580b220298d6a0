import { z } from 'zod';
import { DecisionBasisSchema, EventTime } from './decision-basis';
import { IncidentTypeSchema, SeveritySchema } from './incident-vocabulary';

// Payloads of the remediation streams (`remediation-<incident uuid>`, `circuit-breaker-<dependency>`,
// topic incidents.remediation.v1), as libs/remediation-domain's deciders emit them. All version 1.

/**
 * What a runbook step does, named by the playbook's words. Executors map an action to something
 * real (a webhook call, a Kubernetes rollout restart) or, in dry run, to a sentence.
 */
export const STEP_ACTIONS = [
  'throttle',
  'monitor_recovery',
  'enforce_timeout',
  'check_load',
  'capture_heap',
  'restart_service',
  'check_dependency',
  'restart_dependency',
  'open_circuit_breaker',
  'check_data_integrity',
  'restore_backup',
  'verify_credentials',
  'rotate_credentials',
  'triage',
] as const;

const plainValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const runId = z.string().min(1).describe('The run, derived from the event that caused the proposal.');
const stepId = z.string().min(1).describe('The step, unique within its runbook version.');
const attempt = z.number().int().positive();

export const ProposedStepSchema = z.strictObject({
  id: stepId,
  action: z.enum(STEP_ACTIONS),
  description: z.string().min(1),
  production: z.boolean().describe('The step changes production: the approval policy applies to it.'),
  params: plainValues,
  dependency: z.string().optional().describe('A dependency the step acts on instead of the incident\'s own service.'),
  target: z.string().min(1).describe('The service or dependency the step acts on.'),
  requiresApproval: z.boolean(),
});

export const RemediationProposedV1Schema = z.strictObject({
  at: EventTime,
  incidentId: z.uuid(),
  runId,
  incidentType: IncidentTypeSchema,
  severity: SeveritySchema,
  source: z.string().min(1),
  trigger: z.enum(['IncidentOpened', 'SeverityChanged']),
  runbook: z.strictObject({ id: z.string().min(1), version: z.number().int().positive(), title: z.string().min(1) }),
  steps: z.array(ProposedStepSchema),
  basis: DecisionBasisSchema,
});

export const StepApprovalRequestedV1Schema = z.strictObject({ at: EventTime, runId, stepId });
export const StepApprovedV1Schema = z.strictObject({ at: EventTime, runId, stepId, actor: z.string().min(1) });
export const StepAttemptedV1Schema = z.strictObject({
  at: EventTime,
  runId,
  stepId,
  attempt,
  executor: z.string().min(1),
  action: z.string().min(1),
  target: z.string().min(1),
});
export const StepSucceededV1Schema = z.strictObject({ at: EventTime, runId, stepId, attempt, executor: z.string().min(1), output: plainValues });
export const StepFailedV1Schema = z.strictObject({
  at: EventTime,
  runId,
  stepId,
  attempt,
  executor: z.string().min(1),
  error: z.string(),
  retryable: z.boolean(),
  maxAttempts: z.number().int().positive(),
  willRetry: z.boolean(),
  retryAt: EventTime.optional().describe('When the step is tried again, if it is.'),
});
export const RemediationCompletedV1Schema = z.strictObject({ at: EventTime, runId, steps: z.number().int().nonnegative() });
export const RemediationFailedV1Schema = z.strictObject({ at: EventTime, runId, stepId, attempts: z.number().int().nonnegative(), reason: z.string() });
export const RemediationCancelledV1Schema = z.strictObject({ at: EventTime, runId, reason: z.string() });

const dependency = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/).describe('The dependency (service name) the breaker guards.');
export const CircuitBreakerOpenedV1Schema = z.strictObject({ at: EventTime, dependency, incidentId: z.uuid(), runId, stepId, reason: z.string() });
export const CircuitBreakerResetV1Schema = z.strictObject({
  at: EventTime,
  dependency,
  actor: z.string().min(1),
  reason: z.string().min(1),
  openedAt: EventTime,
  openedFor: z.uuid().describe('The incident whose remediation opened it.'),
});

/** The remediation streams' payload schemas by event type (all version 1). */
export const REMEDIATION_PAYLOADS_V1 = {
  RemediationProposed: RemediationProposedV1Schema,
  StepApprovalRequested: StepApprovalRequestedV1Schema,
  StepApproved: StepApprovedV1Schema,
  StepAttempted: StepAttemptedV1Schema,
  StepSucceeded: StepSucceededV1Schema,
  StepFailed: StepFailedV1Schema,
  RemediationCompleted: RemediationCompletedV1Schema,
  RemediationFailed: RemediationFailedV1Schema,
  RemediationCancelled: RemediationCancelledV1Schema,
} as const;

export const CIRCUIT_BREAKER_PAYLOADS_V1 = { CircuitBreakerOpened: CircuitBreakerOpenedV1Schema, CircuitBreakerReset: CircuitBreakerResetV1Schema } as const;
