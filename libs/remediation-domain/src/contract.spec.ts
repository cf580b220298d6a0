import { CIRCUIT_BREAKER_PAYLOADS_V1, latestEventContract, REMEDIATION_PAYLOADS_V1 } from '@incident/contracts';
import type { IncidentEvent } from '@incident/incident-domain';
import type { z } from 'zod';
import { type CircuitBreakerEvent, decideCircuitBreaker, evolveCircuitBreaker, initialCircuitBreaker } from './circuit-breaker/circuit-breaker';
import { decideEscalation, ESCALATION_POLICY_V1 } from './escalation/decide-escalation';
import { evolveIncidentFacts, initialIncidentFacts } from './escalation/escalation-state';
import type { RemediationCommand } from './remediation/commands';
import { decideRemediation } from './remediation/decide-remediation';
import { REMEDIATION_EVENT_TYPES, type RemediationEvent } from './remediation/events';
import { REMEDIATION_POLICY_V1 } from './remediation/policy';
import { evolveRemediation, initialRemediation } from './remediation/state';
import { RUNBOOKS_V1 } from './runbooks/runbooks.v1';
import { minutesAfter } from './spec-support';

// The remediation streams' payloads, as the TypeScript types the deciders are written against and
// as the zod schemas of libs/contracts (what consumers validate, what docs/asyncapi.yaml shows):
// these specs keep them one description.

/** true when A and B accept the same values (each assignable to the other); otherwise false. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<E extends { type: string; data: unknown }, M extends Record<string, z.ZodType>> = Same<keyof M, E['type']> extends true
  ? { [K in E['type']]: Same<Extract<E, { type: K }>['data'], z.infer<M[K]>> }
  : { keys: false };

// Fails to compile when a type and its schema disagree, or one lists a type the other has not.
const remediationTypesAgree: Agrees<RemediationEvent, typeof REMEDIATION_PAYLOADS_V1> = {
  RemediationProposed: true, StepApprovalRequested: true, StepApproved: true, StepAttempted: true, StepSucceeded: true,
  StepFailed: true, RemediationCompleted: true, RemediationFailed: true, RemediationCancelled: true,
};
const circuitBreakerTypesAgree: Agrees<CircuitBreakerEvent, typeof CIRCUIT_BREAKER_PAYLOADS_V1> = { CircuitBreakerOpened: true, CircuitBreakerReset: true };

const T0 = '2026-01-15T14:32:15.000Z';
const INCIDENT = '3f0c8a52-6d1e-4b7a-9c2d-1e5f7a9b0c3d';
const POLICY = { ...REMEDIATION_POLICY_V1, maxAttemptsPerStep: 2, retryBackoff: { initialMs: 1_000, maxMs: 10_000 } };

/** Runs remediation commands through decide and evolve, collecting what they append. */
function run(commands: ((state: typeof initialRemediation) => RemediationCommand)[]): RemediationEvent[] {
  let state = initialRemediation;
  const events: RemediationEvent[] = [];
  for (const command of commands) {
    const out = decideRemediation(command(state), state, POLICY, RUNBOOKS_V1);
    state = out.reduce(evolveRemediation, state);
    events.push(...out);
  }
  return events;
}

const propose = (runId: string): RemediationCommand => ({
  kind: 'ProposeRemediation', incidentId: INCIDENT, runId, incidentType: 'rate_limit', source: 'api-gateway', trigger: { event: 'IncidentOpened', severity: 'SEV-2' }, at: T0,
});
const attempt = (runId: string, stepId: string, n: number, outcome: Extract<RemediationCommand, { kind: 'RecordStepAttempt' }>['outcome']): RemediationCommand => ({
  kind: 'RecordStepAttempt', runId, stepId, attempt: n, executor: 'dry-run', outcome, at: minutesAfter(T0, n),
});

function everyRemediationEvent(): (RemediationEvent | CircuitBreakerEvent | IncidentEvent)[] {
  const completed = run([
    () => propose('run-1'),
    () => ({ kind: 'ApproveStep', stepId: 'throttle', actor: 'alice', at: T0 }),
    () => attempt('run-1', 'throttle', 1, { ok: false, error: 'gateway timed out', retryable: true }),
    () => attempt('run-1', 'throttle', 2, { ok: true, output: { dryRun: true, limit: 100 } }),
    () => attempt('run-1', 'monitor-recovery', 1, { ok: true, output: { dryRun: true } }),
  ]);
  const failed = run([
    () => propose('run-2'),
    () => ({ kind: 'ApproveStep', stepId: 'throttle', actor: 'alice', at: T0 }),
    () => attempt('run-2', 'throttle', 1, { ok: false, error: '503', retryable: true }),
    () => attempt('run-2', 'throttle', 2, { ok: false, error: '503', retryable: true }),
  ]);
  const cancelled = run([() => propose('run-3'), () => ({ kind: 'CancelRemediation', reason: 'incident resolved', at: minutesAfter(T0, 5) })]);

  const opened = decideCircuitBreaker({ kind: 'OpenCircuitBreaker', dependency: 'postgresql', incidentId: INCIDENT, runId: 'run-4', stepId: 'open-circuit-breaker', reason: 'api_failure runbook', at: T0 }, initialCircuitBreaker);
  const reset = decideCircuitBreaker({ kind: 'ResetCircuitBreaker', dependency: 'postgresql', actor: 'alice', reason: 'fixed', at: minutesAfter(T0, 30) }, opened.reduce(evolveCircuitBreaker, initialCircuitBreaker));

  const incidentOpened: IncidentEvent = {
    type: 'IncidentOpened',
    data: {
      incidentId: INCIDENT, at: T0, fingerprint: 'api-gateway|agent|timeout', incidentType: 'timeout', source: 'api-gateway', title: 'timeout', severity: 'SEV-2',
      basis: { rule: 'open.fatal', policyVersion: 'correlation-policy/v1', inputs: {} },
      classification: { type: 'timeout', fingerprint: 'api-gateway|agent|timeout', source: 'api-gateway', ruleId: 'timeout', ruleSetVersion: 'classifier-rules/v1' },
    },
  };
  const facts = evolveIncidentFacts(initialIncidentFacts, incidentOpened);
  const scheduled = decideEscalation({ kind: 'ScheduleAcknowledgementDeadline', trigger: { event: 'IncidentOpened', at: T0, severity: 'SEV-2' } }, facts, ESCALATION_POLICY_V1);
  const escalated = decideEscalation({ kind: 'FireAcknowledgementDeadline', firedAt: minutesAfter(T0, 16) }, scheduled.reduce(evolveIncidentFacts, facts), ESCALATION_POLICY_V1);
  return [...completed, ...failed, ...cancelled, ...opened, ...reset, ...scheduled, ...escalated];
}

describe('the remediation streams\' events and their contracts (libs/contracts)', () => {
  it('has a schema for every event type, and each agrees with the domain\'s type', () => {
    expect(Object.values({ ...remediationTypesAgree, ...circuitBreakerTypesAgree }).every((v) => v === true)).toBe(true);
    expect(Object.keys(REMEDIATION_PAYLOADS_V1).sort()).toEqual([...REMEDIATION_EVENT_TYPES].sort());
  });

  it('writes only events their contract accepts: runs that complete, fail and are cancelled, breakers, escalations', () => {
    const events = everyRemediationEvent();
    const rejected = events.flatMap((e) => {
      const parsed = latestEventContract(e.type)?.schema.safeParse(e.data);
      return parsed?.success ? [] : [{ type: e.type, issues: parsed?.error.issues ?? 'no contract' }];
    });
    expect(rejected).toEqual([]);
    const covered = new Set<string>(events.map((e) => e.type));
    expect([...REMEDIATION_EVENT_TYPES, ...Object.keys(CIRCUIT_BREAKER_PAYLOADS_V1), 'AcknowledgementDeadlineScheduled', 'IncidentEscalated'].filter((t) => !covered.has(t))).toEqual([]);
  });
});
