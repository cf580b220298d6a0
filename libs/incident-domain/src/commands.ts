import type { ClassificationRef, Observation } from './events';

/** A traffic measurement of the signal's source: errors over requests in a window. */
export interface TrafficMeasurement {
  windowStart: string;
  windowEnd: string;
  requests: number;
  errors: number;
}

export type CorrelationCommand =
  | {
      kind: 'CorrelateSignal';
      observation: Observation;
      classification: ClassificationRef;
      /** The id to give an incident this signal opens; derived from the signal by the caller so a retry opens the same one. */
      incidentIdIfOpened: string;
      /** The source's latest traffic measurement, when it sends them. */
      traffic?: TrafficMeasurement;
    }
  | { kind: 'MeasureErrorRate'; traffic: TrafficMeasurement }
  | { kind: 'FireResolveTimer'; firedAt: string };
