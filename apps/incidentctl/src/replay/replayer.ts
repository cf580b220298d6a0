import { ruleSet as ruleSetOf, signalClassifiedId, signalClassifiedPayload } from '@incident/classification';
import { SIGNAL_CLASSIFIED, SIGNAL_CLASSIFIED_VERSION, Streams, type TrafficSampledV1 } from '@incident/contracts';
import type { EventMetadata, ExpectedVersion, NewEvent } from '@incident/event-store';
import {
  type CorrelationDecision,
  type CorrelationEvent,
  type CorrelationPolicy,
  type CorrelationState,
  correlateSignalCommand,
  decideCorrelation,
  decisionEventId,
  evolveCorrelation,
  evolveIncident,
  type IncidentEvent,
  type IncidentState,
  initialCorrelation,
  initialIncident,
  measurementOf,
  POLICIES,
  type TrafficMeasurement,
} from '@incident/incident-domain';
import type { Step } from './schedule';

/** One append the replay makes to its scratch log, as the services would have made it. */
export interface ReplayAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
}

interface Cause {
  eventId: string;
  metadata: Record<string, unknown>;
}

interface Folded<S> {
  state: S;
  version: number;
}

interface FoldedIncident extends Folded<IncidentState> {
  /** The pending timer's ResolveTimerScheduled: the cause of its firing. */
  timer?: Cause;
}

/**
 * The classifier and correlation services, without Kafka, PostgreSQL or a clock: each step is
 * decided with the domain libs' decide/evolve on state folded from what this replay decided
 * before, under the ids and with the causation the services use, and returned as the appends the
 * services would have made. Every input comes from the step; nothing here reads a clock.
 */
export class Replayer {
  private readonly correlations = new Map<string, Folded<CorrelationState>>();
  private readonly incidents = new Map<string, FoldedIncident>();
  private readonly traffic = new Map<string, TrafficMeasurement>();

  /** What the replay decided, by incident id, for the comparison. */
  incidentIds(): string[] {
    return [...this.incidents.keys()];
  }

  step(step: Step): ReplayAppend[] {
    switch (step.kind) {
      case 'signal':
        return this.signal(step);
      case 'traffic-recorded':
        this.traffic.set(step.sample.source, measurementOf(step.sample));
        return [];
      case 'traffic-measured':
        return this.measure(step.sampleId, step.metadata, step.sample, policy(step.policyVersion));
      case 'timer-tick':
        return this.tick(step.firedAt, policy(step.policyVersion));
      case 'responder':
        return this.responder(step.incidentId, step.event);
      default: {
        const _exhaustive: never = step;
        return _exhaustive;
      }
    }
  }

  /** The classifier's decision, then correlation's, as the two services take them one after the other. */
  private signal(step: Extract<Step, { kind: 'signal' }>): ReplayAppend[] {
    const { received } = step;
    const rules = ruleSetOf(step.ruleSetVersion);
    const payload = signalClassifiedPayload(received.payload, received.occurredAt, rules);
    const classified: NewEvent = {
      id: signalClassifiedId(received.id, rules.version),
      type: SIGNAL_CLASSIFIED,
      schemaVersion: SIGNAL_CLASSIFIED_VERSION,
      occurredAt: new Date(payload.at),
      payload,
      metadata: metadataFor({ eventId: received.id, metadata: received.metadata }, 'classifier'),
    };
    const appends: ReplayAppend[] = [{ streamId: Streams.classification(payload.classification.fingerprint), expectedVersion: 'any', events: [classified] }];
    const p = policy(step.policyVersion);
    const fingerprint = payload.classification.fingerprint;
    const correlation = this.correlations.get(fingerprint) ?? { state: initialCorrelation, version: 0 };
    const linked = correlation.state.linkedIncidentId;
    const incident = (linked && this.incidents.get(linked)) || { state: initialIncident, version: 0 };
    const command = correlateSignalCommand(payload, this.traffic.get(payload.source));
    const decision = decideCorrelation(command, { correlation: correlation.state, incident: incident.state }, p);
    const cause = { eventId: classified.id, metadata: classified.metadata ?? {} };
    if (decision.correlationEvents.length > 0) {
      const streamId = Streams.correlation(fingerprint);
      appends.push({ streamId, expectedVersion: correlation.version, events: toNewEvents(streamId, decision.correlationEvents, cause) });
      const window = { windowMs: p.windowMs, maxEntries: p.failuresToOpen };
      this.correlations.set(fingerprint, {
        state: decision.correlationEvents.reduce((s, e) => evolveCorrelation(s, e, window), correlation.state),
        version: correlation.version + decision.correlationEvents.length,
      });
    }
    return [...appends, ...this.record(decision, incident, cause)];
  }

  /** A traffic sample measures each open incident of its source, in id order (the read model's lock order). */
  private measure(sampleId: string, metadata: Record<string, unknown>, sample: TrafficSampledV1, p: CorrelationPolicy): ReplayAppend[] {
    const command = { kind: 'MeasureErrorRate' as const, traffic: measurementOf(sample) };
    const open = [...this.incidents.entries()].filter(([, i]) => i.state.status === 'open' && i.state.source === sample.source).map(([id]) => id).sort();
    return open.flatMap((id) => {
      const incident = this.incidents.get(id) as FoldedIncident;
      const decision = decideCorrelation(command, { correlation: initialCorrelation, incident: incident.state }, p);
      return this.record(decision, incident, { eventId: sampleId, metadata });
    });
  }

  /** The poller's tick at `firedAt`: every open incident whose timer is due then fires, earliest due first. */
  private tick(firedAt: string, p: CorrelationPolicy): ReplayAppend[] {
    const due = [...this.incidents.entries()]
      .filter(([, i]) => i.state.status === 'open' && i.state.resolveTimerDueAt !== undefined && Date.parse(i.state.resolveTimerDueAt) <= Date.parse(firedAt))
      .sort(([a, x], [b, y]) => (x.state as { resolveTimerDueAt: string }).resolveTimerDueAt.localeCompare((y.state as { resolveTimerDueAt: string }).resolveTimerDueAt) || a.localeCompare(b));
    return due.flatMap(([, incident]) => {
      const decision = decideCorrelation({ kind: 'FireResolveTimer', firedAt }, { correlation: initialCorrelation, incident: incident.state }, p);
      return incident.timer ? this.record(decision, incident, incident.timer) : [];
    });
  }

  /** A responder's recorded event joins the replayed incident of the same id, if the replay opened it. */
  private responder(incidentId: string, event: { id: string; type: string; payload: Record<string, unknown>; metadata: Record<string, unknown>; occurredAt: string }): ReplayAppend[] {
    const incident = this.incidents.get(incidentId);
    if (!incident) return [];
    const domain = { type: event.type, data: event.payload } as IncidentEvent;
    this.incidents.set(incidentId, { ...incident, state: evolveIncident(incident.state, domain), version: incident.version + 1 });
    return [{ streamId: Streams.incident(incidentId), expectedVersion: incident.version, events: [{ id: event.id, type: event.type, schemaVersion: 1, occurredAt: new Date(event.occurredAt), payload: event.payload, metadata: event.metadata }] }];
  }

  /** The incident events of a decision, appended at the version they were decided on, and folded. */
  private record(decision: CorrelationDecision, incident: FoldedIncident, cause: Cause): ReplayAppend[] {
    const { incidentId, incidentEvents } = decision;
    if (!incidentId || incidentEvents.length === 0) return [];
    const opens = incidentEvents[0].type === 'IncidentOpened';
    const from: FoldedIncident = opens ? { state: initialIncident, version: 0 } : incident;
    const streamId = Streams.incident(incidentId);
    const events = toNewEvents(streamId, incidentEvents, cause);
    const scheduled = [...events].reverse().find((e) => e.type === 'ResolveTimerScheduled');
    this.incidents.set(incidentId, {
      state: incidentEvents.reduce(evolveIncident, from.state),
      version: from.version + events.length,
      timer: scheduled ? { eventId: scheduled.id, metadata: scheduled.metadata ?? {} } : from.timer,
    });
    return [{ streamId, expectedVersion: opens ? 'no_stream' : from.version, events }];
  }
}

function policy(version: string): CorrelationPolicy {
  const found = POLICIES[version];
  if (!found) throw new Error(`unknown correlation policy "${version}"; known: ${Object.keys(POLICIES).join(', ')}`);
  return found;
}

/** As the services write metadata: causation is the event reacted to, the correlation id carries over. */
function metadataFor(cause: Cause, actor: string): EventMetadata {
  const given = cause.metadata['correlationId'];
  return { causationId: cause.eventId, correlationId: typeof given === 'string' && given !== '' ? given : cause.eventId, actor };
}

function toNewEvents(streamId: string, events: readonly (IncidentEvent | CorrelationEvent)[], cause: Cause): NewEvent[] {
  const metadata = metadataFor(cause, 'correlation');
  return events.map((event, index) => ({
    id: decisionEventId(cause.eventId, streamId, index),
    type: event.type,
    schemaVersion: 1,
    occurredAt: new Date(event.type === 'FailureObserved' ? event.data.signal.at : event.data.at),
    payload: { ...event.data },
    metadata,
  }));
}
