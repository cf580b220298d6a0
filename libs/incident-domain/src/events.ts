import { ACTION_ITEM_PRIORITIES, RESPONSE_STATUSES, type IncidentType, type Severity, type SignalLevel } from '@incident/contracts';

/** What correlation needs to know about one signal; `at` is its event time (ISO-8601). */
export interface Observation {
  signalId: string;
  at: string;
  level: SignalLevel;
  message: string;
  component?: string;
  /**
   * The key distinct users are counted by: the user's pseudonym (`userRef`) since SignalClassified
   * v2, the publisher's plaintext id in events written before (docs/personal-data.md).
   */
  userId?: string;
  errorCode?: string;
  /** Set when the signal is an Alertmanager alert. */
  alert?: { fingerprint: string; status: 'firing' | 'resolved'; severity?: string };
}

export interface ClassificationRef {
  type: IncidentType;
  fingerprint: string;
  source: string;
  ruleId: string;
  ruleSetVersion: string;
}

/** Why a decision was taken: the rule of the policy, its version, and the inputs it read. */
export interface DecisionBasis {
  rule: string;
  policyVersion: string;
  inputs: Record<string, string | number | boolean>;
}

/** A signal as counted on an incident: enough for the impact, not the whole signal. */
export interface AttachedSignal {
  signalId: string;
  at: string;
  /** Start of the spike bucket the signal falls in (ISO-8601). */
  bucket: string;
  level: SignalLevel;
  component?: string;
  userId?: string;
  errorCode?: string;
  alertFingerprint?: string;
}

// Incident stream events (stream `incident-<id>`), past tense.
export type IncidentEvent =
  | { type: 'IncidentOpened'; data: { incidentId: string; at: string; fingerprint: string; incidentType: IncidentType; source: string; title: string; severity: Severity; basis: DecisionBasis; classification: ClassificationRef } }
  | { type: 'SignalAttached'; data: AttachedSignal }
  | { type: 'ErrorRateMeasured'; data: { at: string; windowStart: string; windowEnd: string; requests: number; errors: number; errorRate: number } }
  | { type: 'SeverityChanged'; data: { at: string; from: Severity; to: Severity; reason: string; basis: DecisionBasis; actor: string } }
  | { type: 'ResolveTimerScheduled'; data: { at: string; dueAt: string; policyVersion: string } }
  | { type: 'IncidentResolved'; data: { at: string; reason: string; basis: DecisionBasis; actor: string } }
  | ResponderEvent
  | EscalationEvent;

// The vocabularies are the contracts' (libs/contracts, incident-events.ts): one list for both.
export { ACTION_ITEM_PRIORITIES, RESPONSE_STATUSES };
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number];

/** The playbook's fishbone (Ishikawa) categories. */
export interface Fishbone {
  people: string[];
  process: string[];
  technology: string[];
  environment: string[];
}

export interface RootCauseAnalysis {
  /** The 5 Whys chain, first "why" first. */
  fiveWhys: string[];
  fishbone: Fishbone;
  rootCause: string;
  fix: string;
  contributingFactors: string[];
  wentWell: string[];
  wentPoorly: string[];
  lessonsLearned: string[];
}

// What responders record on an incident (issue 4): every event names its actor.
export type ResponderEvent =
  | { type: 'IncidentAcknowledged'; data: { at: string; actor: string } }
  | { type: 'NoteAdded'; data: { at: string; actor: string; noteId: string; text: string } }
  | { type: 'ResponseStatusChanged'; data: { at: string; actor: string; from: ResponseStatus; to: ResponseStatus } }
  | { type: 'RootCauseRecorded'; data: RootCauseAnalysis & { at: string; actor: string } }
  | { type: 'ActionItemAdded'; data: { at: string; actor: string; itemId: string; title: string; priority: ActionItemPriority; owner: string; dueDate: string } }
  | { type: 'ActionItemCompleted'; data: { at: string; actor: string; itemId: string } };

// Response-time escalation (issue 4, part 3), recorded in the incident stream by the remediation
// service: the acknowledgement deadline is itself an event, so replaying the log escalates the
// same incidents. `at` of an escalation is the deadline it missed (event time); `firedAt` is
// when the timer was seen due.
export type EscalationEvent =
  | { type: 'AcknowledgementDeadlineScheduled'; data: { at: string; dueAt: string; severity: Severity; trigger: 'IncidentOpened' | 'SeverityChanged'; basis: DecisionBasis } }
  | { type: 'IncidentEscalated'; data: { at: string; deadline: string; severity: Severity; missedByMs: number; firedAt: string; basis: DecisionBasis } };

// Correlation stream events (stream `correlation-<fingerprint>`): the window before an incident.
export type CorrelationEvent =
  | { type: 'FailureObserved'; data: { signal: AttachedSignal; policyVersion: string } }
  | { type: 'IncidentLinked'; data: { incidentId: string; at: string } };

export type IncidentEventType = IncidentEvent['type'];

/** Every type an incident stream can hold; readers use it to tell incident events from others. */
export const INCIDENT_EVENT_TYPES: readonly IncidentEventType[] = [
  'IncidentOpened', 'SignalAttached', 'ErrorRateMeasured', 'SeverityChanged', 'ResolveTimerScheduled', 'IncidentResolved',
  'IncidentAcknowledged', 'NoteAdded', 'ResponseStatusChanged', 'RootCauseRecorded', 'ActionItemAdded', 'ActionItemCompleted',
  'AcknowledgementDeadlineScheduled', 'IncidentEscalated',
];

export function isIncidentEventType(type: string): type is IncidentEventType {
  return (INCIDENT_EVENT_TYPES as readonly string[]).includes(type);
}
