import { Streams, TrafficSampledV1Schema } from '@incident/contracts';
import type { EventStore, StoredEvent } from '@incident/event-store';
import {
  type CorrelationPolicy,
  type CorrelationState,
  evolveCorrelation,
  evolveIncident,
  type IncidentState,
  initialCorrelation,
  initialIncident,
  type TrafficMeasurement,
} from '@incident/incident-domain';
import type { DataSource } from 'typeorm';
import { asCorrelationEvent, asIncidentEvent, type Cause } from './decision-events';
import { LRUCache } from 'lru-cache';

/** A state folded from a stream's first `version` events. */
export interface Folded<S> {
  state: S;
  /** The stream version folded up to: the expected version of the next append. */
  version: number;
}

export interface FoldedIncident extends Folded<IncidentState> {
  /** The ResolveTimerScheduled that set the pending timer: the cause of its firing. */
  timer?: Cause;
}

export interface CacheLimits {
  correlations: number;
  incidents: number;
  sources: number;
}

/**
 * Folded states of correlation and incident streams, read from the log. The LRU caches only
 * what was read back from the log, never what a transaction is about to write (it may still
 * roll back): each load reads the events after the cached version, so a cached state is always
 * a committed prefix of its stream, and the expected version on append catches anything that
 * was committed after the read.
 */
export class FoldedStreams {
  private readonly correlations: LRUCache<string, Folded<CorrelationState>>;
  private readonly incidents: LRUCache<string, FoldedIncident>;
  private readonly traffic: LRUCache<string, { version: number; measurement?: TrafficMeasurement }>;
  private readonly window: { windowMs: number; maxEntries: number };

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly schema: string,
    policy: CorrelationPolicy,
    limits: CacheLimits,
  ) {
    // Spliced into SQL text (identifiers cannot be bind parameters): plain names only.
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.correlations = new LRUCache({ max: limits.correlations });
    this.incidents = new LRUCache({ max: limits.incidents });
    this.traffic = new LRUCache({ max: limits.sources });
    this.window = { windowMs: policy.windowMs, maxEntries: policy.failuresToOpen };
  }

  async correlation(fingerprint: string): Promise<Folded<CorrelationState>> {
    const streamId = Streams.correlation(fingerprint);
    const cached = this.correlations.get(streamId) ?? { state: initialCorrelation, version: 0 };
    const newer = await this.after(streamId, cached.version);
    if (newer.length === 0) return cached;
    let { state, version } = cached;
    for (const stored of newer) {
      version = nextVersion(stored, version);
      const event = asCorrelationEvent(stored);
      if (event) state = evolveCorrelation(state, event, this.window);
    }
    return this.keep(this.correlations, streamId, { state, version });
  }

  async incident(incidentId: string): Promise<FoldedIncident> {
    const streamId = Streams.incident(incidentId);
    const cached: FoldedIncident = this.incidents.get(streamId) ?? { state: initialIncident, version: 0 };
    const newer = await this.after(streamId, cached.version);
    if (newer.length === 0) return cached;
    const folded = foldIncidentEvents(cached, newer);
    return this.keep(this.incidents, streamId, folded);
  }

  /** The source's latest traffic sample (the last event of `source-<source>`), if it sends them. */
  async latestTraffic(source: string): Promise<TrafficMeasurement | undefined> {
    const streamId = Streams.source(source);
    const rows: { version: number }[] = await this.dataSource.query(`SELECT version FROM "${this.schema}".streams WHERE stream_id = $1`, [streamId]);
    const head = rows[0]?.version ?? 0;
    const cached = this.traffic.get(streamId);
    if (cached && cached.version === head) return cached.measurement;
    const [last] = head === 0 ? [] : await this.store.readStream(streamId, { fromVersion: head, toVersion: head });
    const measurement = last ? toMeasurement(last) : undefined;
    this.traffic.set(streamId, { version: head, measurement });
    return measurement;
  }

  /** How many folded states each cache holds now: never more than its limit. */
  cached(): CacheLimits {
    return { correlations: this.correlations.size, incidents: this.incidents.size, sources: this.traffic.size };
  }

  private async after(streamId: string, version: number): Promise<StoredEvent[]> {
    return this.store.readStream(streamId, { fromVersion: version + 1 });
  }

  /** Two loads may race (a consumer and the timer poller): the further one wins. */
  private keep<T extends Folded<unknown>>(cache: LRUCache<string, T>, streamId: string, folded: T): T {
    const current = cache.get(streamId);
    if (!current || current.version < folded.version) cache.set(streamId, folded);
    return folded;
  }
}

/** Folds stored incident events on top of a folded incident, remembering the pending timer's cause. */
export function foldIncidentEvents(from: FoldedIncident, events: readonly StoredEvent[]): FoldedIncident {
  let { state, timer } = from;
  let version = from.version;
  for (const stored of events) {
    version = nextVersion(stored, version);
    const event = asIncidentEvent(stored);
    if (!event) continue;
    state = evolveIncident(state, event);
    if (event.type === 'ResolveTimerScheduled') timer = { eventId: stored.id, metadata: stored.metadata };
  }
  return { state, version, timer };
}

/** A fold that skipped an event would decide on a wrong state and append at the right version. */
function nextVersion(stored: StoredEvent, version: number): number {
  if (stored.streamVersion !== version + 1) {
    throw new Error(`stream ${stored.streamId}: expected version ${version + 1} next, read ${stored.streamVersion}`);
  }
  return stored.streamVersion;
}

/** The last sample, unless it no longer parses (then the source counts as sending none). */
function toMeasurement(stored: StoredEvent): TrafficMeasurement | undefined {
  const parsed = TrafficSampledV1Schema.safeParse(stored.payload);
  if (!parsed.success) return undefined;
  const { windowStart, windowEnd, requests, errors } = parsed.data;
  return { windowStart: new Date(windowStart).toISOString(), windowEnd: new Date(windowEnd).toISOString(), requests, errors };
}
