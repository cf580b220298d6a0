import type { AttachedSignal, CorrelationEvent } from './events';

/**
 * What one fingerprint remembers between signals: the failures inside the window (before an
 * incident opens) and the incident it is linked to. The window holds at most
 * `failuresToOpen` entries, so memory stays bounded however many signals a fingerprint sees.
 */
export interface CorrelationState {
  recentFailures: readonly AttachedSignal[];
  linkedIncidentId?: string;
  version: number;
}

export const initialCorrelation: CorrelationState = { recentFailures: [], version: 0 };

export function evolveCorrelation(
  state: CorrelationState,
  event: CorrelationEvent,
  window: { windowMs: number; maxEntries: number },
): CorrelationState {
  const version = state.version + 1;
  switch (event.type) {
    case 'FailureObserved': {
      const until = Date.parse(event.data.signal.at) - window.windowMs;
      const kept = [...state.recentFailures, event.data.signal]
        .filter((f) => Date.parse(f.at) > until)
        .slice(-window.maxEntries);
      return { ...state, recentFailures: kept, version };
    }
    case 'IncidentLinked':
      // The window's failures now belong to the incident; a later incident starts afresh.
      return { recentFailures: [], linkedIncidentId: event.data.incidentId, version };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
