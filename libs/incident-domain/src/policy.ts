import type { Severity } from '@incident/contracts';

/**
 * The correlation policy: when failures of one fingerprint become an incident, how severe it
 * is, when it ends. Every decision records the policy version, so a change of policy is a new
 * version and old decisions replay under the version that made them.
 */
export interface CorrelationPolicy {
  readonly version: string;
  /** Failures of one fingerprint counted over this much event time. */
  readonly windowMs: number;
  /** This many ERROR/FATAL signals inside the window open an incident. */
  readonly failuresToOpen: number;
  /** A source whose measured error rate is above this opens an incident on its next failure. */
  readonly errorRateToOpen: number;
  /** With no signal for this long (event time), an incident resolves itself. */
  readonly quietPeriodMs: number;
  /** Failures are grouped into buckets of this size to find spikes (the playbook uses hours). */
  readonly spikeBucketMs: number;
  /** A bucket with more failures than this is a spike. */
  readonly spikeThreshold: number;
  /** Error rates at or above which severity rises (the playbook's severity table). */
  readonly productionDownErrorRate: number;
  readonly majorDegradationErrorRate: number;
}

export const POLICY_V1: CorrelationPolicy = {
  version: 'correlation-policy/v1',
  windowMs: 5 * 60_000,
  failuresToOpen: 10,
  errorRateToOpen: 0.05, // playbook best practice: "Alert on error rate > 5%"
  quietPeriodMs: 30 * 60_000,
  spikeBucketMs: 60 * 60_000,
  spikeThreshold: 100,
  productionDownErrorRate: 0.9,
  majorDegradationErrorRate: 0.5,
};

export const POLICIES: Readonly<Record<string, CorrelationPolicy>> = { [POLICY_V1.version]: POLICY_V1 };

/** The playbook's response times become acknowledgement deadlines (issue: escalation). */
export const RESPONSE_TIME_MS: Readonly<Record<Severity, number>> = {
  'SEV-1': 0,
  'SEV-2': 15 * 60_000,
  'SEV-3': 60 * 60_000,
  'SEV-4': 24 * 60 * 60_000,
};
