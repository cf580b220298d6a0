/**
 * Versioned Kafka topic names. A breaking change to a topic's messages gets a new topic
 * (`.v2`) so that old and new consumers can run side by side during a rollout.
 *
 * Partition counts bound how far a consumer group scales out (one active consumer per
 * partition), so the Kubernetes autoscalers read their maximum from here.
 */
export const Topics = {
  /** External publishers put failure signals here (JSON signal, or a structured CloudEvent). */
  signalIntake: 'incidents.signals.intake.v1',
  /** Signals recorded in the event log, relayed keyed by signal stream. */
  signals: 'incidents.signals.v1',
  /**
   * Traffic samples (requests and errors over a window) recorded in the log, keyed by source
   * stream. Apart from the signals so that correlation, their only reader, does not receive
   * (and pass over) a SignalReceived per signal, nor the classifier a sample.
   */
  traffic: 'incidents.traffic.v1',
  /** Classifier decisions, keyed by signal fingerprint. */
  classifications: 'incidents.classifications.v1',
  /** Incident lifecycle events, keyed by incident id. */
  incidents: 'incidents.incidents.v1',
  /** Remediation runs and steps, keyed by incident id. */
  remediation: 'incidents.remediation.v1',
  /** Postmortem drafts, keyed by incident id. */
  postmortems: 'incidents.postmortems.v1',
  /** Messages no consumer could process after bounded retries; headers say why. */
  deadLetter: 'incidents.dead-letter.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export const DEFAULT_PARTITIONS = 6;

export const TOPICS: readonly { name: TopicName; partitions: number }[] = Object.values(Topics).map(
  (name) => ({ name, partitions: DEFAULT_PARTITIONS }),
);
