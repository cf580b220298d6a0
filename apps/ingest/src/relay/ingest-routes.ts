import {
  SIGNAL_CLASSIFIED,
  SIGNAL_RECEIVED,
  TRAFFIC_SAMPLED,
  Topics,
} from '@incident/contracts';
import type {
  CorrelationEvent,
  IncidentEventType,
} from '@incident/incident-domain';
import { routeByType, type TopicRouter } from '@incident/messaging';
import type { PostmortemEventType } from '@incident/postmortem-domain';
import type {
  CircuitBreakerEventType,
  RemediationEventType,
} from '@incident/remediation-domain';
import type { IngestTopics } from '../app/ingest-config';

type RoutedType =
  | typeof SIGNAL_RECEIVED
  | typeof TRAFFIC_SAMPLED
  | typeof SIGNAL_CLASSIFIED
  | IncidentEventType
  | CorrelationEvent['type']
  | RemediationEventType
  | CircuitBreakerEventType
  | PostmortemEventType;

/** The topics routed to; remediation's and postmortems' default to the contract's (ingest neither reads nor creates them). */
type RoutedTopics = Pick<IngestTopics, 'signals' | 'traffic' | 'classifications' | 'incidents'> & { remediation?: string; postmortems?: string };

/**
 * Where the relay publishes each event type of the log. Typed by the domain's event unions, so a
 * new incident or correlation event does not compile until it is routed here.
 *
 * A type missing at run time (written by a newer service than this ingest) is not skipped:
 * routeByType throws, the relay stops at that event and retries with back-off, publishing nothing
 * after it until a route is deployed. Nothing is lost (the checkpoint stays before it); the
 * operator sees "relay ...: batch failed ... no topic routed for event type X" in the log and
 * ingest_relay_failing 1 on /metrics (README, "Relay").
 */
export function ingestRouteTable(
  topics: RoutedTopics,
): Record<RoutedType, string | null> {
  const remediation = topics.remediation ?? Topics.remediation;
  const postmortems = topics.postmortems ?? Topics.postmortems;
  return {
    [SIGNAL_RECEIVED]: topics.signals,
    [TRAFFIC_SAMPLED]: topics.traffic,
    [SIGNAL_CLASSIFIED]: topics.classifications,
    IncidentOpened: topics.incidents,
    ErrorRateMeasured: topics.incidents,
    SeverityChanged: topics.incidents,
    ResolveTimerScheduled: topics.incidents,
    IncidentResolved: topics.incidents,
    IncidentAcknowledged: topics.incidents,
    NoteAdded: topics.incidents,
    ResponseStatusChanged: topics.incidents,
    RootCauseRecorded: topics.incidents,
    ActionItemAdded: topics.incidents,
    ActionItemCompleted: topics.incidents,
    // Response-time escalation (remediation service), in the incident stream.
    AcknowledgementDeadlineScheduled: topics.incidents,
    IncidentEscalated: topics.incidents,
    // Remediation runs (`remediation-<incident>`) and circuit breakers (`circuit-breaker-<dependency>`).
    RemediationProposed: remediation,
    StepApprovalRequested: remediation,
    StepApproved: remediation,
    StepAttempted: remediation,
    StepSucceeded: remediation,
    StepFailed: remediation,
    RemediationCompleted: remediation,
    RemediationFailed: remediation,
    RemediationCancelled: remediation,
    CircuitBreakerOpened: remediation,
    CircuitBreakerReset: remediation,
    // Postmortem drafts (`postmortem-<incident>`).
    PostmortemDrafted: postmortems,
    PostmortemOverdue: postmortems,
    PostmortemFinalized: postmortems,
    // One per signal counted on an incident: kept in the log (GET /v1/incidents/{id}/events, the
    // timeline, the incident's folded state) and not published. Every incidents-topic subscriber
    // would receive a storm's ten thousand of them to pass by; what they act on (opened, severity,
    // resolved, ...) stays on the topic, and the counts are in the incident state (docs/decisions.md).
    SignalAttached: null,
    // Correlation's internal window: kept in the log, read back by correlation itself.
    FailureObserved: null,
    IncidentLinked: null,
  };
}

export function ingestRouter(topics: RoutedTopics): TopicRouter {
  return routeByType(ingestRouteTable(topics));
}
