import { createHash } from 'node:crypto';

/**
 * Stream ids of the log. Kafka messages are keyed by stream id, so the stream is also the unit
 * of ordering: everything about one fingerprint lands on one partition, in order.
 */
export const Streams = {
  /** One signal: SignalReceived. */
  signal: (signalId: string) => `signal-${digest(signalId)}`,
  /** A source's traffic samples: TrafficSampled. */
  source: (source: string) => `source-${source}`,
  /** Classifier decisions for one fingerprint: SignalClassified. */
  classification: (fingerprint: string) => `classification-${fingerprint}`,
  /** Correlation window of one fingerprint: FailureObserved, IncidentLinked. */
  correlation: (fingerprint: string) => `correlation-${fingerprint}`,
  /** One incident's whole history. */
  incident: (incidentId: string) => `incident-${incidentId}`,
  /** One incident's remediation runs: proposals, approvals, step attempts and their outcomes. */
  remediation: (incidentId: string) => `remediation-${incidentId}`,
  /** One dependency's circuit breaker: opened by a runbook step, reset by a person. */
  circuitBreaker: (dependency: string) => `circuit-breaker-${dependency}`,
  /** One incident's postmortem: PostmortemDrafted revisions, PostmortemOverdue, PostmortemFinalized. */
  postmortem: (incidentId: string) => `postmortem-${incidentId}`,
} as const;

/**
 * A deterministic UUID (version 5 layout, SHA-1 over a namespace and name): the same decision
 * retried, redelivered or replayed gets the same event id, and the log stores it once.
 */
export function deterministicUuid(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(`${namespace}\u0000${name}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Publisher ids may be long or odd; the stream id holds a fixed-size digest of them. */
function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 32);
}
