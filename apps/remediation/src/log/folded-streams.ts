import { Streams } from '@incident/contracts';
import type { EventStore, StoredEvent } from '@incident/event-store';
import { type IncidentEvent, isIncidentEventType } from '@incident/incident-domain';
import {
  type CircuitBreakerEvent,
  type CircuitBreakerState,
  evolveCircuitBreaker,
  evolveIncidentFacts,
  evolveRemediation,
  type IncidentFacts,
  initialCircuitBreaker,
  initialIncidentFacts,
  initialRemediation,
  isCircuitBreakerEventType,
  isRemediationEventType,
  type RemediationEvent,
  type RemediationState,
} from '@incident/remediation-domain';
import type { Cause } from './decision-events';
import { LRUCache } from 'lru-cache';

/** A state folded from a stream's first `version` events, and the last of them (the next decision's cause). */
export interface Folded<S> {
  state: S;
  /** The stream version folded up to: the expected version of the next append. */
  version: number;
  last?: Cause;
  /** The AcknowledgementDeadlineScheduled that set the pending deadline: the cause of its firing. */
  deadline?: Cause;
}

interface Fold<S> {
  initial: S;
  /** Applies one stored event; types the fold does not know still move the version. */
  apply(state: S, stored: StoredEvent): S;
}

const incidentFold: Fold<IncidentFacts> = {
  initial: initialIncidentFacts,
  apply: (s, e) => (isIncidentEventType(e.type) ? evolveIncidentFacts(s, { type: e.type, data: e.payload } as IncidentEvent) : { ...s, version: s.version + 1 }),
};
const remediationFold: Fold<RemediationState> = {
  initial: initialRemediation,
  apply: (s, e) => (isRemediationEventType(e.type) ? evolveRemediation(s, { type: e.type, data: e.payload } as RemediationEvent) : { ...s, version: s.version + 1 }),
};
const breakerFold: Fold<CircuitBreakerState> = {
  initial: initialCircuitBreaker,
  apply: (s, e) => (isCircuitBreakerEventType(e.type) ? evolveCircuitBreaker(s, { type: e.type, data: e.payload } as CircuitBreakerEvent) : s),
};

/**
 * Folded incident, remediation and circuit-breaker streams, read from the log. The LRU keeps
 * only what was read back from the log (a committed prefix of the stream), never what a
 * transaction is about to write; each load reads the events after the cached version, and the
 * expected version on append catches anything committed after the read.
 */
export class FoldedStreams {
  private readonly cache: LRUCache<string, Folded<unknown>>;

  constructor(
    private readonly store: EventStore,
    capacity: number,
  ) {
    this.cache = new LRUCache({ max: capacity });
  }

  incident(incidentId: string): Promise<Folded<IncidentFacts>> {
    return this.load(Streams.incident(incidentId), incidentFold);
  }

  remediation(incidentId: string): Promise<Folded<RemediationState>> {
    return this.load(Streams.remediation(incidentId), remediationFold);
  }

  circuitBreaker(dependency: string): Promise<Folded<CircuitBreakerState>> {
    return this.load(Streams.circuitBreaker(dependency), breakerFold);
  }

  private async load<S>(streamId: string, fold: Fold<S>): Promise<Folded<S>> {
    const cached = (this.cache.get(streamId) as Folded<S> | undefined) ?? { state: fold.initial, version: 0 };
    const newer = await this.store.readStream(streamId, { fromVersion: cached.version + 1 });
    if (newer.length === 0) return cached;
    let { state, version, last, deadline } = cached;
    for (const stored of newer) {
      // A fold that skipped an event would decide on a wrong state and append at the right version.
      if (stored.streamVersion !== version + 1) throw new Error(`stream ${streamId}: expected version ${version + 1} next, read ${stored.streamVersion}`);
      version = stored.streamVersion;
      state = fold.apply(state, stored);
      last = { eventId: stored.id, metadata: stored.metadata };
      if (stored.type === 'AcknowledgementDeadlineScheduled') deadline = last;
    }
    const folded: Folded<S> = { state, version, last, deadline };
    const current = this.cache.get(streamId);
    // Two loads may race (a consumer and a poller): the further one wins.
    if (!current || current.version < folded.version) this.cache.set(streamId, folded);
    return folded;
  }
}
