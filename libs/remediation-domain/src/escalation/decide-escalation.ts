import type { Severity } from '@incident/contracts';
import { type IncidentEvent, moreSevere, RESPONSE_TIME_MS } from '@incident/incident-domain';
import type { IncidentFacts } from './escalation-state';

export interface EscalationPolicy {
  readonly version: string;
  /** The playbook's response times: SEV-1 immediate, SEV-2 15 minutes, SEV-3 1 hour, SEV-4 24 hours. */
  readonly responseTimeMs: Readonly<Record<Severity, number>>;
}

export const ESCALATION_POLICY_V1: EscalationPolicy = { version: 'escalation-policy/v1', responseTimeMs: RESPONSE_TIME_MS };

export type EscalationCommand =
  | { kind: 'ScheduleAcknowledgementDeadline'; trigger: { event: 'IncidentOpened'; at: string; severity: Severity } | { event: 'SeverityChanged'; at: string; from: Severity; to: Severity } }
  /** `firedAt`: the clock of the timer poller, read at its edge and recorded in the escalation. */
  | { kind: 'FireAcknowledgementDeadline'; firedAt: string };

type Schedule = Extract<EscalationCommand, { kind: 'ScheduleAcknowledgementDeadline' }>;

/**
 * decide(command, state) for response-time escalation. The deadline is a recorded event in the
 * incident stream, due at the trigger's event time plus the response time of the severity. An
 * acknowledged or resolved incident gets no deadline and is never escalated; a deadline is
 * escalated at most once.
 */
export function decideEscalation(command: EscalationCommand, state: IncidentFacts, policy: EscalationPolicy): IncidentEvent[] {
  if (state.status !== 'open' || state.acknowledged) return [];
  switch (command.kind) {
    case 'ScheduleAcknowledgementDeadline':
      return schedule(command.trigger, state, policy);
    case 'FireAcknowledgementDeadline': {
      const d = state.deadline;
      if (!d || d.escalated || Date.parse(command.firedAt) < Date.parse(d.dueAt)) return [];
      const missedByMs = Date.parse(command.firedAt) - Date.parse(d.dueAt);
      const basis = { rule: 'escalation.unacknowledged', policyVersion: policy.version, inputs: { deadline: d.dueAt, severity: d.severity, firedAt: command.firedAt } };
      return [{ type: 'IncidentEscalated', data: { at: d.dueAt, deadline: d.dueAt, severity: d.severity, missedByMs, firedAt: command.firedAt, basis } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/**
 * Opening sets the first deadline. A raised severity never moves a pending deadline later (the
 * earlier of the two counts); a lowered one replaces it, since responders judged it less urgent.
 */
function schedule(trigger: Schedule['trigger'], state: Exclude<IncidentFacts, { status: 'none' }>, policy: EscalationPolicy): IncidentEvent[] {
  const severity = trigger.event === 'IncidentOpened' ? trigger.severity : trigger.to;
  const responseTimeMs = policy.responseTimeMs[severity];
  const candidate = new Date(Date.parse(trigger.at) + responseTimeMs).toISOString();
  const pending = state.deadline && !state.deadline.escalated ? state.deadline : undefined;
  let dueAt = candidate;
  let rule = 'escalation.response-time';
  if (trigger.event === 'IncidentOpened') {
    if (state.deadline) return []; // scheduled already
  } else if (moreSevere(trigger.to, trigger.from)) {
    rule = 'escalation.severity-raised';
    if (pending && Date.parse(pending.dueAt) < Date.parse(candidate)) dueAt = pending.dueAt;
  } else {
    rule = 'escalation.severity-lowered';
  }
  if (pending && pending.dueAt === dueAt && pending.severity === severity) return [];
  const inputs: Record<string, string | number> = { trigger: trigger.event, triggeredAt: trigger.at, severity, responseTimeMs };
  if (pending) inputs['previousDueAt'] = pending.dueAt;
  return [{ type: 'AcknowledgementDeadlineScheduled', data: { at: trigger.at, dueAt, severity, trigger: trigger.event, basis: { rule, policyVersion: policy.version, inputs } } }];
}
