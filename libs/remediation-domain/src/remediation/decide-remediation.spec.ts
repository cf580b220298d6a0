import type { IncidentType } from '@incident/contracts';
import { minutesAfter, secondsAfter, specification } from '../spec-support';
import { RUNBOOKS_V1 } from '../runbooks/runbooks.v1';
import type { RemediationCommand } from './commands';
import { decideRemediation } from './decide-remediation';
import type { RemediationEvent } from './events';
import { nextAction } from './next-action';
import { REMEDIATION_POLICY_V1, type RemediationPolicy } from './policy';
import { evolveRemediation, initialRemediation } from './state';

const T0 = '2025-12-24T14:35:00.000Z';
const POLICY: RemediationPolicy = { ...REMEDIATION_POLICY_V1, maxAttemptsPerStep: 3, retryBackoff: { initialMs: 1_000, maxMs: 10_000 } };

const given = (events: RemediationEvent[], policy = POLICY) =>
  specification<RemediationCommand, typeof initialRemediation, RemediationEvent>({
    decide: (c, s) => decideRemediation(c, s, policy, RUNBOOKS_V1),
    evolve: evolveRemediation,
    initial: initialRemediation,
  })(events);

describe('remediation: proposing a runbook', () => {
  it('proposes the runbook of the incident type when an incident opens, with the runbook id, version and steps', () => {
    const [proposed, approval] = given([]).when(propose('rate_limit'));
    expect(proposed).toMatchObject({
      type: 'RemediationProposed',
      data: {
        incidentId: 'i-1', runId: 'run-1', incidentType: 'rate_limit', severity: 'SEV-2', trigger: 'IncidentOpened',
        runbook: { id: 'rate-limit-throttle', version: 1 },
        basis: { rule: 'runbook.rate_limit', policyVersion: 'runbooks/v1+remediation-policy/v1' },
      },
    });
    expect(proposed.type === 'RemediationProposed' && proposed.data.steps.map((s) => [s.id, s.target, s.requiresApproval])).toEqual([
      ['throttle', 'api-gateway', true],
      ['monitor-recovery', 'api-gateway', false],
    ]);
    expect(approval).toEqual({ type: 'StepApprovalRequested', data: { at: T0, runId: 'run-1', stepId: 'throttle' } });
  });

  it('points steps that name a dependency at it, the others at the incident source', () => {
    const [proposed] = given([]).when(propose('plugin_crash'));
    expect(proposed.type === 'RemediationProposed' && proposed.data.steps.map((s) => s.target)).toEqual(['postgresql', 'postgresql', 'postgresql', 'api-gateway']);
  });

  it('asks no approval when the policy says none is needed', () => {
    const events = given([], { ...POLICY, approval: 'none' }).when(propose('rate_limit'));
    expect(events.map((e) => e.type)).toEqual(['RemediationProposed']);
  });

  it('proposes nothing new while a run is going, even when the severity rises', () => {
    expect(given(proposed('rate_limit')).when(raised('SEV-3', 'SEV-1'))).toEqual([]);
  });

  it('proposes again on escalation once the last run is over', () => {
    const over = [...proposed('timeout', { approval: 'none' }), cancelled()];
    const [again] = given(over).when({ ...raised('SEV-3', 'SEV-2'), runId: 'run-2' });
    expect(again).toMatchObject({ type: 'RemediationProposed', data: { runId: 'run-2', severity: 'SEV-2', trigger: 'SeverityChanged' } });
  });

  it('does not propose when the severity is lowered', () => {
    expect(given([]).when(raised('SEV-2', 'SEV-4'))).toEqual([]);
  });
});

describe('remediation: approvals', () => {
  it('records the approval of a production step, with its approver', () => {
    expect(given(proposed('rate_limit')).when(approve('throttle'))).toEqual([{ type: 'StepApproved', data: { at: T0, runId: 'run-1', stepId: 'throttle', actor: 'alice' } }]);
  });

  it('approves each step once', () => {
    const h = given([...proposed('rate_limit'), approved('throttle')]);
    expect(h.rejects(approve('throttle'))).toMatchObject({ code: 'ALREADY_APPROVED', kind: 'conflict' });
  });

  it('refuses to approve a step that needs no approval, or one the runbook does not have', () => {
    const h = given(proposed('rate_limit'));
    expect(h.rejects(approve('monitor-recovery'))).toMatchObject({ code: 'APPROVAL_NOT_REQUIRED', kind: 'conflict' });
    expect(h.rejects(approve('reboot-the-world'))).toMatchObject({ code: 'NOT_FOUND', kind: 'not_found' });
  });

  it('refuses approvals when there is no remediation, or it is over', () => {
    expect(given([]).rejects(approve('throttle'))).toMatchObject({ kind: 'not_found' });
    expect(given([...proposed('rate_limit'), cancelled()]).rejects(approve('throttle'))).toMatchObject({ code: 'RUN_NOT_ACTIVE' });
  });

  it('lets a later production step be approved ahead of time, so the run does not stop there', () => {
    const history = [...proposed('plugin_crash'), approved('restart-plugin')];
    const h = given([...history, ...attempt(history, 'check-dependency', 1, ok())]);
    expect(nextAction(h.state)).toMatchObject({ kind: 'awaiting-approval', step: { id: 'restart-dependency' } });
  });
});

describe('remediation: running steps', () => {
  it('waits for approval before a production step runs', () => {
    const h = given(proposed('rate_limit'));
    expect(nextAction(h.state)).toMatchObject({ kind: 'awaiting-approval', step: { id: 'throttle' } });
    expect(h.rejects(record('throttle', 1, ok()))).toMatchObject({ code: 'NOT_APPROVED' });
  });

  it('records each attempt and its success, and completes the run when every step succeeded', () => {
    let history = [...proposed('rate_limit'), approved('throttle')];
    history = [...history, ...attempt(history, 'throttle', 1, ok())];
    const last = given(history).when(record('monitor-recovery', 1, ok()));
    expect(last.map((e) => e.type)).toEqual(['StepAttempted', 'StepSucceeded', 'RemediationCompleted']);
    expect(last[0]).toMatchObject({ data: { stepId: 'monitor-recovery', attempt: 1, executor: 'dry-run', action: 'monitor_recovery', target: 'api-gateway' } });
    expect(last[2]).toMatchObject({ data: { runId: 'run-1', steps: 2 } });
  });

  it('asks for the next production step\'s approval when the run reaches it', () => {
    const events = given(proposed('memory_leak')).when(record('capture-heap', 1, ok()));
    expect(events.map((e) => e.type)).toEqual(['StepAttempted', 'StepSucceeded', 'StepApprovalRequested']);
  });

  it('retries a failed step with backoff, recording the attempt number, within the bounds', () => {
    const history = proposed('timeout', { approval: 'none' });
    const first = given(history).when(record('enforce-timeout', 1, failed('503 from webhook')));
    expect(first[1]).toEqual({
      type: 'StepFailed',
      data: { at: T0, runId: 'run-1', stepId: 'enforce-timeout', attempt: 1, executor: 'dry-run', error: '503 from webhook', retryable: true, maxAttempts: 3, willRetry: true, retryAt: secondsAfter(T0, 1) },
    });
    const h = given([...history, ...first]);
    expect(nextAction(h.state)).toMatchObject({ kind: 'execute', attempt: 2, dueAt: secondsAfter(T0, 1) });
    const second = h.when(record('enforce-timeout', 2, failed('timeout')));
    expect(second[1]).toMatchObject({ data: { attempt: 2, retryAt: secondsAfter(T0, 2) } });
  });

  it('fails the run after the last attempt, and a failed step never marks the incident remediated', () => {
    let history = proposed('timeout', { approval: 'none' });
    for (const n of [1, 2]) history = [...history, ...attempt(history, 'enforce-timeout', n, failed('503'))];
    const last = given(history).when(record('enforce-timeout', 3, failed('503')));
    expect(last.map((e) => e.type)).toEqual(['StepAttempted', 'StepFailed', 'RemediationFailed']);
    expect(last[1]).toMatchObject({ data: { attempt: 3, willRetry: false } });
    const after = given([...history, ...last]);
    expect(after.state.run?.status).toBe('failed');
    expect(nextAction(after.state)).toEqual({ kind: 'idle' });
    expect([...history, ...last].map((e) => e.type)).not.toContain('RemediationCompleted');
  });

  it('gives up at once on a failure that retrying cannot fix', () => {
    const events = given(proposed('timeout', { approval: 'none' })).when(record('enforce-timeout', 1, { ok: false, error: '400 Bad Request', retryable: false }));
    expect(events.map((e) => e.type)).toEqual(['StepAttempted', 'StepFailed', 'RemediationFailed']);
    expect(events[2]).toMatchObject({ data: { reason: 'step enforce-timeout failed and cannot be retried: 400 Bad Request' } });
  });

  it('refuses an attempt out of order: another step, a repeated attempt number, or another run', () => {
    const h = given(proposed('timeout', { approval: 'none' }));
    expect(h.rejects(record('check-load', 1, ok()))).toMatchObject({ code: 'NOT_RUNNABLE' });
    expect(h.rejects(record('enforce-timeout', 2, ok()))).toMatchObject({ code: 'NOT_RUNNABLE' });
    expect(h.rejects({ ...record('enforce-timeout', 1, ok()), runId: 'run-0' })).toMatchObject({ code: 'NOT_RUNNABLE' });
  });
});

describe('remediation: cancelling', () => {
  it('cancels the going run when the incident resolves, and nothing once it is over', () => {
    const cancel = { kind: 'CancelRemediation', reason: 'the incident resolved', at: T0 } as const;
    expect(given(proposed('rate_limit')).when(cancel)).toEqual([{ type: 'RemediationCancelled', data: { at: T0, runId: 'run-1', reason: 'the incident resolved' } }]);
    expect(given([...proposed('rate_limit'), cancelled()]).when(cancel)).toEqual([]);
    expect(given([]).when(cancel)).toEqual([]);
  });
});

// Factories with defaults: the incident i-1 of api-gateway, a run run-1 proposed at T0.

function propose(type: IncidentType): RemediationCommand {
  return { kind: 'ProposeRemediation', incidentId: 'i-1', runId: 'run-1', incidentType: type, source: 'api-gateway', trigger: { event: 'IncidentOpened', severity: 'SEV-2' }, at: T0 };
}

function raised(from: 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4', to: 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4'): Extract<RemediationCommand, { kind: 'ProposeRemediation' }> {
  return { kind: 'ProposeRemediation', incidentId: 'i-1', runId: 'run-1', incidentType: 'timeout', source: 'api-gateway', trigger: { event: 'SeverityChanged', from, to }, at: minutesAfter(T0, 10) };
}

function proposed(type: IncidentType, policy: Partial<RemediationPolicy> = {}): RemediationEvent[] {
  return given([], { ...POLICY, ...policy }).when(propose(type));
}

function approve(stepId: string): RemediationCommand {
  return { kind: 'ApproveStep', stepId, actor: 'alice', at: T0 };
}

function approved(stepId: string): RemediationEvent {
  return { type: 'StepApproved', data: { at: T0, runId: 'run-1', stepId, actor: 'alice' } };
}

function cancelled(): RemediationEvent {
  return { type: 'RemediationCancelled', data: { at: T0, runId: 'run-1', reason: 'resolved' } };
}

type Attempt = Extract<RemediationCommand, { kind: 'RecordStepAttempt' }>;

function record(stepId: string, n: number, outcome: Attempt['outcome']): Attempt {
  return { kind: 'RecordStepAttempt', runId: 'run-1', stepId, attempt: n, executor: 'dry-run', outcome, at: T0 };
}

function attempt(history: RemediationEvent[], stepId: string, n: number, outcome: Attempt['outcome']): RemediationEvent[] {
  return given(history).when(record(stepId, n, outcome));
}

function ok() {
  return { ok: true as const, output: { dryRun: true } };
}

function failed(error: string) {
  return { ok: false as const, error, retryable: true };
}
