import type { CorrelationCommand, TrafficMeasurement } from './commands';
import type { CorrelationState } from './correlation-state';
import type { AttachedSignal, CorrelationEvent, IncidentEvent, Observation } from './events';
import type { IncidentState, OpenIncident } from './incident-state';
import { openIncident } from './open-incident';
import type { CorrelationPolicy } from './policy';
import { assessSeverity, moreSevere } from './severity';

export interface CorrelationDecision {
  correlationEvents: CorrelationEvent[];
  /** The incident the events below belong to (the linked one, or the one being opened). */
  incidentId?: string;
  incidentEvents: IncidentEvent[];
}

const nothing: CorrelationDecision = { correlationEvents: [], incidentEvents: [] };

/**
 * decide(command, state) for one fingerprint. `incident` is the incident the fingerprint is
 * linked to (if any). Pure: time comes from event times in the command, ids from the caller.
 */
export function decideCorrelation(
  command: CorrelationCommand,
  state: { correlation: CorrelationState; incident: IncidentState },
  policy: CorrelationPolicy,
): CorrelationDecision {
  const open = state.incident.status === 'open' ? state.incident : undefined;
  switch (command.kind) {
    case 'CorrelateSignal':
      return open
        ? onSignalForIncident(command.observation, open, policy)
        : openOrObserve(command, state.correlation, policy);
    case 'MeasureErrorRate':
      return open ? measured(command.traffic, open, policy) : nothing;
    case 'FireResolveTimer':
      return open ? timerFired(command.firedAt, open, policy) : nothing;
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function onSignalForIncident(o: Observation, incident: OpenIncident, policy: CorrelationPolicy): CorrelationDecision {
  const events: IncidentEvent[] = [];
  if (o.alert?.status === 'resolved') {
    if (!incident.alertFingerprints.has(o.alert.fingerprint)) return nothing;
    const basis = { rule: 'resolve.alert-resolved', policyVersion: policy.version, inputs: { alertFingerprint: o.alert.fingerprint, signalId: o.signalId } };
    events.push({ type: 'IncidentResolved', data: { at: o.at, reason: 'its alert resolved', basis, actor: 'correlation' } });
    return { correlationEvents: [], incidentId: incident.id, incidentEvents: events };
  }
  events.push({ type: 'SignalAttached', data: attached(o, policy) });
  const assessed = assessSeverity({ level: o.level, alertSeverity: o.alert?.severity, errorRate: incident.impact.errorRate }, policy);
  if (moreSevere(assessed.severity, incident.severity)) {
    events.push({ type: 'SeverityChanged', data: { at: o.at, from: incident.severity, to: assessed.severity, reason: assessed.reason, basis: assessed.basis, actor: 'correlation' } });
  }
  return { correlationEvents: [], incidentId: incident.id, incidentEvents: events };
}

function openOrObserve(
  command: Extract<CorrelationCommand, { kind: 'CorrelateSignal' }>,
  correlation: CorrelationState,
  policy: CorrelationPolicy,
): CorrelationDecision {
  const o = command.observation;
  const isFailure = o.level === 'FATAL' || o.level === 'ERROR';
  const firing = o.alert?.status === 'firing';
  if (!isFailure && !firing) return nothing; // warnings and resolutions alone never open an incident
  const signal = attached(o, policy);
  const window = [...correlation.recentFailures.filter((f) => Date.parse(f.at) > Date.parse(o.at) - policy.windowMs), signal];
  const traffic = currentTraffic(command.traffic, o.at, policy);
  const rate = traffic ? errorRateOf(traffic) : undefined;
  const rule = firing
    ? 'open.alert-firing'
    : o.level === 'FATAL'
      ? 'open.fatal'
      : rate !== undefined && rate > policy.errorRateToOpen
        ? 'open.error-rate'
        : window.length >= policy.failuresToOpen
          ? 'open.failure-count'
          : undefined;
  if (!rule) {
    return { correlationEvents: [{ type: 'FailureObserved', data: { signal, policyVersion: policy.version } }], incidentEvents: [] };
  }
  const incidentEvents = openIncident({ ...command, traffic, rule, window, errorRate: rate }, policy);
  return {
    correlationEvents: [{ type: 'IncidentLinked', data: { incidentId: command.incidentIdIfOpened, at: o.at } }],
    incidentId: command.incidentIdIfOpened,
    incidentEvents,
  };
}

/**
 * The source's latest sample speaks for a signal only when its window ended within the policy's
 * window of the signal's event time: a source that stopped sending samples yesterday must not open
 * today's incident on yesterday's error rate (nor one sampled far ahead of a late signal).
 */
function currentTraffic(traffic: TrafficMeasurement | undefined, at: string, policy: CorrelationPolicy): TrafficMeasurement | undefined {
  if (!traffic) return undefined;
  return Math.abs(Date.parse(at) - Date.parse(traffic.windowEnd)) <= policy.windowMs ? traffic : undefined;
}

function measured(traffic: TrafficMeasurement, incident: OpenIncident, policy: CorrelationPolicy): CorrelationDecision {
  const errorRate = errorRateOf(traffic);
  const events: IncidentEvent[] = [{ type: 'ErrorRateMeasured', data: { at: traffic.windowEnd, ...traffic, errorRate } }];
  const assessed = assessSeverity({ level: 'ERROR', errorRate }, policy);
  if (moreSevere(assessed.severity, incident.severity)) {
    events.push({ type: 'SeverityChanged', data: { at: traffic.windowEnd, from: incident.severity, to: assessed.severity, reason: assessed.reason, basis: assessed.basis, actor: 'correlation' } });
  }
  return { correlationEvents: [], incidentId: incident.id, incidentEvents: events };
}

/** The quiet period is a recorded timer: when it fires, either the incident went quiet or it is set again. */
function timerFired(firedAt: string, incident: OpenIncident, policy: CorrelationPolicy): CorrelationDecision {
  const quietUntil = new Date(Date.parse(incident.impact.lastSeenAt) + policy.quietPeriodMs).toISOString();
  const events: IncidentEvent[] =
    Date.parse(firedAt) >= Date.parse(quietUntil)
      ? [{ type: 'IncidentResolved', data: { at: quietUntil, reason: `no signal for ${policy.quietPeriodMs / 60_000} minutes`, actor: 'correlation', basis: { rule: 'resolve.quiet-period', policyVersion: policy.version, inputs: { lastSeenAt: incident.impact.lastSeenAt, firedAt } } } }]
      : [{ type: 'ResolveTimerScheduled', data: { at: firedAt, dueAt: quietUntil, policyVersion: policy.version } }];
  return { correlationEvents: [], incidentId: incident.id, incidentEvents: events };
}

export function attached(o: Observation, policy: CorrelationPolicy): AttachedSignal {
  const t = Date.parse(o.at);
  const bucket = new Date(t - (t % policy.spikeBucketMs)).toISOString();
  return {
    signalId: o.signalId, at: o.at, bucket, level: o.level,
    ...(o.component ? { component: o.component } : {}),
    ...(o.userId ? { userId: o.userId } : {}),
    ...(o.errorCode ? { errorCode: o.errorCode } : {}),
    ...(o.alert ? { alertFingerprint: o.alert.fingerprint } : {}),
  };
}

export function errorRateOf(t: TrafficMeasurement): number {
  return t.requests === 0 ? 0 : t.errors / t.requests;
}
