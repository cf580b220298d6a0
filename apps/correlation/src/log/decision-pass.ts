import { Streams } from '@incident/contracts';
import type { NewEvent, StreamAppend } from '@incident/event-store';
import {
  type CorrelationEvent,
  type CorrelationState,
  evolveCorrelation,
  evolveIncident,
  type IncidentEvent,
  type IncidentState,
  initialIncident,
  type TrafficMeasurement,
} from '@incident/incident-domain';
import type { EntityManager } from 'typeorm';
import { type Cause, toNewEvents } from './decision-events';
import { incidentRow } from './incidents-read-model';
import type { CorrelationDeps } from './record-decision';

interface Pending<S> {
  streamId: string;
  /** The version read from the log: the expected version of the append. */
  readVersion: number | 'no_stream';
  state: S;
  events: NewEvent[];
}

/**
 * Many decisions over correlation and incident streams, taken one after another on states kept
 * in memory, and recorded together: one appendMany with every stream at the version it was read
 * at, then the incidents' read-model rows. Each stream is read from the log once per pass, before
 * anything is written, so the reads (on a pooled connection, committed data only) never miss a
 * write of this transaction, and the expected versions catch anything another writer committed
 * since. A pass is thrown away with its savepoint when an append finds such a conflict.
 */
export class DecisionPass {
  private readonly correlations = new Map<string, Pending<CorrelationState>>();
  private readonly incidents = new Map<string, Pending<IncidentState>>();
  private readonly traffic = new Map<string, Promise<TrafficMeasurement | undefined>>();
  private readonly window: { windowMs: number; maxEntries: number };

  constructor(
    private readonly tx: EntityManager,
    private readonly deps: CorrelationDeps,
  ) {
    this.window = { windowMs: deps.policy.windowMs, maxEntries: deps.policy.failuresToOpen };
  }

  /**
   * Reads the fingerprints' windows and locks the read-model rows of their linked incidents in
   * one statement, in id order (the order every writer of incident rows uses).
   */
  async load(fingerprints: readonly string[]): Promise<void> {
    const linked: string[] = [];
    for (const fingerprint of fingerprints) {
      const folded = await this.deps.streams.correlation(fingerprint);
      this.correlations.set(fingerprint, { streamId: Streams.correlation(fingerprint), readVersion: folded.version, state: folded.state, events: [] });
      if (folded.state.linkedIncidentId) linked.push(folded.state.linkedIncidentId);
    }
    await this.deps.readModel.lockAll(this.tx, linked);
  }

  correlation(fingerprint: string): CorrelationState {
    const pending = this.correlations.get(fingerprint);
    if (!pending) throw new Error(`fingerprint ${fingerprint} was not loaded`);
    return pending.state;
  }

  /** An incident as decided so far in this pass, read from the log the first time. */
  async incident(incidentId: string): Promise<IncidentState> {
    return (await this.pendingIncident(incidentId)).state;
  }

  latestTraffic(source: string): Promise<TrafficMeasurement | undefined> {
    let measurement = this.traffic.get(source);
    if (!measurement) this.traffic.set(source, (measurement = this.deps.streams.latestTraffic(source)));
    return measurement;
  }

  addCorrelationEvents(fingerprint: string, events: readonly CorrelationEvent[], cause: Cause): void {
    const pending = this.correlations.get(fingerprint);
    if (!pending || events.length === 0) return;
    pending.events.push(...toNewEvents(pending.streamId, events, cause));
    pending.state = events.reduce((state, event) => evolveCorrelation(state, event, this.window), pending.state);
  }

  /** An IncidentOpened starts a new stream ('no_stream'); anything else continues the one read. */
  async addIncidentEvents(incidentId: string, events: readonly IncidentEvent[], cause: Cause): Promise<void> {
    if (events.length === 0) return;
    const pending =
      events[0].type === 'IncidentOpened'
        ? this.opened(incidentId)
        : await this.pendingIncident(incidentId);
    pending.events.push(...toNewEvents(pending.streamId, events, cause));
    pending.state = events.reduce(evolveIncident, pending.state);
  }

  /** Appends everything decided (ConcurrencyError when a stream moved on) and moves the rows. */
  async record(): Promise<void> {
    const streams = [...this.correlations.values(), ...this.incidents.values()].filter((p) => p.events.length > 0);
    const appends: StreamAppend[] = streams.map((p) => ({ streamId: p.streamId, events: p.events, expectedVersion: p.readVersion }));
    const results = await this.deps.store.appendMany(appends, { manager: this.tx });
    const incidents = new Set<Pending<unknown>>(this.incidents.values());
    for (const [i, pending] of streams.entries()) {
      if (!incidents.has(pending)) continue;
      const row = incidentRow(pending.state as IncidentState, results[i].nextExpectedVersion);
      if (row) await this.deps.readModel.upsert(this.tx, row);
    }
  }

  private opened(incidentId: string): Pending<IncidentState> {
    let pending = this.incidents.get(incidentId);
    if (!pending) {
      pending = { streamId: Streams.incident(incidentId), readVersion: 'no_stream', state: initialIncident, events: [] };
      this.incidents.set(incidentId, pending);
    }
    return pending;
  }

  private async pendingIncident(incidentId: string): Promise<Pending<IncidentState>> {
    let pending = this.incidents.get(incidentId);
    if (!pending) {
      const folded = await this.deps.streams.incident(incidentId);
      pending = { streamId: Streams.incident(incidentId), readVersion: folded.version, state: folded.state, events: [] };
      this.incidents.set(incidentId, pending);
    }
    return pending;
  }
}
