import type { IncidentType, Signal } from '@incident/contracts';

/**
 * A classification rule is data: what it matches and the incident type it assigns. Rules are
 * tried in order and the first match decides, so a rule set is read top to bottom like the
 * playbook's failure-mode list.
 */
export interface ClassificationRule {
  readonly id: string;
  readonly type: IncidentType;
  readonly description: string;
  /** Matches when the signal's error code is one of these (compared as text). */
  readonly errorCodes?: readonly string[];
  /** Case-insensitive regular expressions tried against the message. */
  readonly messagePatterns?: readonly string[];
  /** Matches when an attribute key starts with one of these (e.g. `anthropic-ratelimit-`). */
  readonly attributePrefixes?: readonly string[];
  /** Alert labels (from Alertmanager) whose value must match the case-insensitive pattern. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Matches when the signal reports a duration at or above this many milliseconds. */
  readonly minDurationMs?: number;
  /** Restricts the rule to components matching this case-insensitive pattern. */
  readonly componentPattern?: string;
}

export interface RuleSet {
  readonly version: string;
  readonly rules: readonly ClassificationRule[];
}

/** What made a rule match, recorded with the decision so an auditor can see why. */
export interface Evidence {
  errorCode?: string;
  messagePattern?: string;
  attributeKeys?: string[];
  labels?: Record<string, string>;
  durationMs?: number;
}

export type SignalFacts = Pick<Signal, 'message' | 'errorCode' | 'attributes' | 'durationMs' | 'component'>;
