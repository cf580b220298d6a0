import type { IncidentType, Severity, SignalLevel } from '@incident/contracts';

/** What correlation needs to know about one signal; `at` is its event time (ISO-8601). */
export interface Observation {
  signalId: string;
  at: string;
  level: SignalLevel;
  message: string;
  component?: string;
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
  | { type: 'IncidentResolved'; data: { at: string; reason: string; basis: DecisionBasis; actor: string } };

// Correlation stream events (stream `correlation-<fingerprint>`): the window before an incident.
export type CorrelationEvent =
  | { type: 'FailureObserved'; data: { signal: AttachedSignal; policyVersion: string } }
  | { type: 'IncidentLinked'; data: { incidentId: string; at: string } };

export type IncidentEventType = IncidentEvent['type'];
