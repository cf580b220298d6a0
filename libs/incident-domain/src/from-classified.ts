import { deterministicUuid, type SignalClassifiedV2, type TrafficSampledV1 } from '@incident/contracts';
import type { CorrelationCommand, TrafficMeasurement } from './commands';
import type { ClassificationRef, Observation } from './events';

// What the correlation service and `incidentctl replay` both derive from recorded events before
// deciding: one implementation, so a replay decides on the inputs, and under the ids, the service did.

/** The id an incident opened by this signal gets: a retried decision opens the same incident. */
export function incidentIdFor(signalId: string): string {
  return deterministicUuid('incident', signalId);
}

/**
 * The id of the `index`-th event a cause produced in one stream. A redelivered message, or a
 * retry after a crash between append and offset commit, decides under the same ids, and the
 * log stores each id once.
 */
export function decisionEventId(causeId: string, streamId: string, index: number): string {
  return deterministicUuid('correlation', `${causeId}/${streamId}/${index}`);
}

/**
 * SignalClassified -> what the correlation decider needs of the signal. The observation's
 * `userId` is the key distinct users are counted by: the pseudonym `userRef` (SignalClassified v2).
 */
export function observationOf(p: SignalClassifiedV2): Observation {
  return {
    signalId: p.signalId,
    // The decider compares event times as ISO strings: one format, UTC.
    at: new Date(p.at).toISOString(),
    level: p.level,
    message: p.message,
    ...(p.component === undefined ? {} : { component: p.component }),
    ...(p.userRef === undefined ? {} : { userId: p.userRef }),
    ...(p.errorCode === undefined ? {} : { errorCode: p.errorCode }),
    ...(p.alert === undefined ? {} : { alert: p.alert }),
  };
}

export function classificationOf(p: SignalClassifiedV2): ClassificationRef {
  const c = p.classification;
  return { type: c.type, fingerprint: c.fingerprint, source: p.source, ruleId: c.ruleId, ruleSetVersion: c.ruleSetVersion };
}

export function correlateSignalCommand(p: SignalClassifiedV2, traffic: TrafficMeasurement | undefined): CorrelationCommand {
  return {
    kind: 'CorrelateSignal',
    observation: observationOf(p),
    classification: classificationOf(p),
    incidentIdIfOpened: incidentIdFor(p.signalId),
    ...(traffic ? { traffic } : {}),
  };
}

export function measurementOf(sample: TrafficSampledV1): TrafficMeasurement {
  return {
    windowStart: new Date(sample.windowStart).toISOString(),
    windowEnd: new Date(sample.windowEnd).toISOString(),
    requests: sample.requests,
    errors: sample.errors,
  };
}
