import type { Severity } from '@incident/contracts';
import type { IncidentEvent } from '@incident/incident-domain';
import { minutesAfter, specification } from '../spec-support';
import { decideEscalation, ESCALATION_POLICY_V1, type EscalationCommand } from './decide-escalation';
import { evolveIncidentFacts, initialIncidentFacts, pendingDeadline } from './escalation-state';

const T0 = '2025-12-24T14:35:00.000Z';
const given = specification<EscalationCommand, typeof initialIncidentFacts, IncidentEvent>({
  decide: (c, s) => decideEscalation(c, s, ESCALATION_POLICY_V1),
  evolve: evolveIncidentFacts,
  initial: initialIncidentFacts,
});

describe('escalation: acknowledgement deadlines from the playbook\'s response times', () => {
  it.each<[Severity, number]>([
    ['SEV-1', 0],
    ['SEV-2', 15],
    ['SEV-3', 60],
    ['SEV-4', 24 * 60],
  ])('schedules a %s incident\'s deadline %i minutes after it opened', (severity, minutes) => {
    const [event] = given([opened(severity)]).when(openedTrigger(severity));
    expect(event).toEqual({
      type: 'AcknowledgementDeadlineScheduled',
      data: {
        at: T0, dueAt: minutesAfter(T0, minutes), severity, trigger: 'IncidentOpened',
        basis: { rule: 'escalation.response-time', policyVersion: 'escalation-policy/v1', inputs: { trigger: 'IncidentOpened', triggeredAt: T0, severity, responseTimeMs: minutes * 60_000 } },
      },
    });
  });

  it('schedules the opening deadline once', () => {
    const h = given([opened('SEV-2'), ...given([opened('SEV-2')]).when(openedTrigger('SEV-2'))]);
    expect(h.when(openedTrigger('SEV-2'))).toEqual([]);
  });

  it('brings the deadline forward when the severity rises, and never moves it later', () => {
    const h = given(history('SEV-3'));
    expect(h.when(changed('SEV-3', 'SEV-1', 10))[0]).toMatchObject({ data: { dueAt: minutesAfter(T0, 10), severity: 'SEV-1', basis: { rule: 'escalation.severity-raised' } } });
    // SEV-2 at minute 50 would be due at 65; the SEV-3 deadline at 60 is earlier and stays.
    expect(h.when(changed('SEV-3', 'SEV-2', 50))[0]).toMatchObject({ data: { dueAt: minutesAfter(T0, 60), severity: 'SEV-2' } });
  });

  it('replaces the deadline when a responder lowers the severity', () => {
    expect(given(history('SEV-2')).when(changed('SEV-2', 'SEV-4', 5))[0]).toMatchObject({ data: { dueAt: minutesAfter(T0, 5 + 24 * 60), basis: { rule: 'escalation.severity-lowered' } } });
  });

  it('schedules nothing for an acknowledged or a resolved incident', () => {
    expect(given([...history('SEV-3'), acknowledged(2)]).when(changed('SEV-3', 'SEV-1', 5))).toEqual([]);
    expect(given([opened('SEV-2'), resolved(1)]).when(openedTrigger('SEV-2'))).toEqual([]);
  });
});

describe('escalation: firing the deadline', () => {
  it('escalates a SEV-2 left unacknowledged past 15 minutes, recording the deadline it missed and by how much', () => {
    const [event] = given(history('SEV-2')).when(fire(16));
    expect(event).toEqual({
      type: 'IncidentEscalated',
      data: {
        at: minutesAfter(T0, 15), deadline: minutesAfter(T0, 15), severity: 'SEV-2', missedByMs: 60_000, firedAt: minutesAfter(T0, 16),
        basis: { rule: 'escalation.unacknowledged', policyVersion: 'escalation-policy/v1', inputs: { deadline: minutesAfter(T0, 15), severity: 'SEV-2', firedAt: minutesAfter(T0, 16) } },
      },
    });
  });

  it('does not escalate before the deadline', () => {
    expect(given(history('SEV-2')).when(fire(14))).toEqual([]);
  });

  it('escalates exactly once per deadline', () => {
    const h = given(history('SEV-2'));
    const escalated = given([...history('SEV-2'), ...h.when(fire(16))]);
    expect(escalated.when(fire(17))).toEqual([]);
    expect(pendingDeadline(escalated.state)).toBeUndefined();
  });

  it('never escalates an acknowledged incident, even one acknowledged after its deadline', () => {
    expect(given([...history('SEV-2'), acknowledged(20)]).when(fire(21))).toEqual([]);
    expect(pendingDeadline(given([...history('SEV-2'), acknowledged(1)]).state)).toBeUndefined();
  });

  it('never escalates a resolved incident', () => {
    expect(given([...history('SEV-2'), resolved(5)]).when(fire(16))).toEqual([]);
  });

  it('escalates a SEV-1 as soon as its timer fires: its response time is immediate', () => {
    expect(given(history('SEV-1')).when(fire(0))[0]).toMatchObject({ type: 'IncidentEscalated', data: { missedByMs: 0, severity: 'SEV-1' } });
  });

  it('escalates again on a new deadline after a severity rise', () => {
    const first = [...history('SEV-3'), ...given(history('SEV-3')).when(fire(61))];
    const raised = [...first, changedEvent('SEV-3', 'SEV-1', 70), ...given([...first, changedEvent('SEV-3', 'SEV-1', 70)]).when(changed('SEV-3', 'SEV-1', 70))];
    expect(pendingDeadline(given(raised).state)).toBe(minutesAfter(T0, 70));
    expect(given(raised).when(fire(70)).map((e) => e.type)).toEqual(['IncidentEscalated']);
  });

  it('escalates the same way when the log is replayed: the deadline is an event, not a clock', () => {
    const events = [...history('SEV-2'), ...given(history('SEV-2')).when(fire(30))];
    expect(given(events).state).toEqual(given([...events]).state);
    expect(given(events).state).toMatchObject({ deadline: { dueAt: minutesAfter(T0, 15), escalated: true } });
  });
});

// Factories: incident i-1 of api-gateway, opened at T0.

function opened(severity: Severity): IncidentEvent {
  return {
    type: 'IncidentOpened',
    data: {
      incidentId: 'i-1', at: T0, fingerprint: 'api-gateway|agent|timeout', incidentType: 'timeout', source: 'api-gateway', title: 'timeout', severity,
      basis: { rule: 'open.fatal', policyVersion: 'correlation-policy/v1', inputs: {} },
      classification: { type: 'timeout', fingerprint: 'api-gateway|agent|timeout', source: 'api-gateway', ruleId: 'timeout', ruleSetVersion: 'classifier-rules/v1' },
    },
  };
}

function openedTrigger(severity: Severity): EscalationCommand {
  return { kind: 'ScheduleAcknowledgementDeadline', trigger: { event: 'IncidentOpened', at: T0, severity } };
}

/** Opened at T0 with its deadline scheduled. */
function history(severity: Severity): IncidentEvent[] {
  return [opened(severity), ...given([opened(severity)]).when(openedTrigger(severity))];
}

function changed(from: Severity, to: Severity, minute: number): EscalationCommand {
  return { kind: 'ScheduleAcknowledgementDeadline', trigger: { event: 'SeverityChanged', at: minutesAfter(T0, minute), from, to } };
}

function changedEvent(from: Severity, to: Severity, minute: number): IncidentEvent {
  return { type: 'SeverityChanged', data: { at: minutesAfter(T0, minute), from, to, reason: 'r', basis: { rule: 'r', policyVersion: 'p', inputs: {} }, actor: 'correlation' } };
}

function fire(minute: number): EscalationCommand {
  return { kind: 'FireAcknowledgementDeadline', firedAt: minutesAfter(T0, minute) };
}

function acknowledged(minute: number): IncidentEvent {
  return { type: 'IncidentAcknowledged', data: { at: minutesAfter(T0, minute), actor: 'alice' } };
}

function resolved(minute: number): IncidentEvent {
  return { type: 'IncidentResolved', data: { at: minutesAfter(T0, minute), reason: 'fixed', basis: { rule: 'r', policyVersion: 'p', inputs: {} }, actor: 'alice' } };
}
