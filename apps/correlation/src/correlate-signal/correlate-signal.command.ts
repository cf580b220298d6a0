import { deterministicUuid, type SignalClassifiedV1 } from '@incident/contracts';
import type { ClassificationRef, CorrelationCommand, Observation, TrafficMeasurement } from '@incident/incident-domain';

/** The id an incident opened by this signal gets: a retried decision opens the same incident. */
export function incidentIdFor(signalId: string): string {
  return deterministicUuid('incident', signalId);
}

/** SignalClassified -> what the correlation decider needs of the signal. */
export function observationOf(p: SignalClassifiedV1): Observation {
  return {
    signalId: p.signalId,
    // The decider compares event times as ISO strings: one format, UTC.
    at: new Date(p.at).toISOString(),
    level: p.level,
    message: p.message,
    ...(p.component === undefined ? {} : { component: p.component }),
    ...(p.userId === undefined ? {} : { userId: p.userId }),
    ...(p.errorCode === undefined ? {} : { errorCode: p.errorCode }),
    ...(p.alert === undefined ? {} : { alert: p.alert }),
  };
}

export function classificationOf(p: SignalClassifiedV1): ClassificationRef {
  const c = p.classification;
  return { type: c.type, fingerprint: c.fingerprint, source: p.source, ruleId: c.ruleId, ruleSetVersion: c.ruleSetVersion };
}

export function correlateSignalCommand(p: SignalClassifiedV1, traffic: TrafficMeasurement | undefined): CorrelationCommand {
  return {
    kind: 'CorrelateSignal',
    observation: observationOf(p),
    classification: classificationOf(p),
    incidentIdIfOpened: incidentIdFor(p.signalId),
    ...(traffic ? { traffic } : {}),
  };
}
