import type { IncidentType, Severity } from '@incident/contracts';
import type { ActionItemPriority, AttachedSignal, IncidentEvent, ResponseStatus, RootCauseAnalysis } from './events';

/** The impact, as the playbook's correlation analysis reads it. */
export interface Impact {
  signalCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  affectedUsers: number;
  errorRate?: number;
  peakErrorRate?: number;
  busiestComponent?: { component: string; signals: number };
  /** Failure counts per spike bucket (bucket start → count). */
  buckets: Record<string, number>;
}

export interface OpenIncident {
  status: 'open';
  id: string;
  fingerprint: string;
  type: IncidentType;
  source: string;
  title: string;
  severity: Severity;
  openedAt: string;
  impact: Impact;
  /** Distinct user ids seen; kept so affected-users stays a distinct count under redelivery. */
  users: ReadonlySet<string>;
  components: Readonly<Record<string, number>>;
  alertFingerprints: ReadonlySet<string>;
  resolveTimerDueAt?: string;
  acknowledged?: { at: string; by: string };
  responseStatus: ResponseStatus;
  notes: number;
  rootCause?: RootCauseAnalysis & { at: string; by: string };
  actionItems: Readonly<Record<string, ActionItem>>;
  version: number;
}

export interface ActionItem {
  title: string;
  priority: ActionItemPriority;
  owner: string;
  dueDate: string;
  completedAt?: string;
}

export type IncidentState =
  | { status: 'none'; version: 0 }
  | OpenIncident
  | (Omit<OpenIncident, 'status'> & { status: 'resolved'; resolvedAt: string; resolution: string });

export const initialIncident: IncidentState = { status: 'none', version: 0 };

export function evolveIncident(state: IncidentState, event: IncidentEvent): IncidentState {
  const version = state.version + 1;
  if (event.type === 'IncidentOpened') {
    const d = event.data;
    return {
      status: 'open', id: d.incidentId, fingerprint: d.fingerprint, type: d.incidentType, source: d.source,
      title: d.title, severity: d.severity, openedAt: d.at, users: new Set(), components: {},
      alertFingerprints: new Set(), responseStatus: 'investigating', notes: 0, actionItems: {}, version,
      impact: { signalCount: 0, firstSeenAt: d.at, lastSeenAt: d.at, affectedUsers: 0, buckets: {} },
    };
  }
  if (state.status === 'none') return state; // an event without its opening is ignored, never thrown on
  switch (event.type) {
    case 'SignalAttached':
      return { ...attach(state, event.data), version };
    case 'ErrorRateMeasured': {
      const peak = Math.max(state.impact.peakErrorRate ?? 0, event.data.errorRate);
      return { ...state, version, impact: { ...state.impact, errorRate: event.data.errorRate, peakErrorRate: peak } };
    }
    case 'SeverityChanged':
      return { ...state, version, severity: event.data.to };
    case 'ResolveTimerScheduled':
      return { ...state, version, resolveTimerDueAt: event.data.dueAt };
    case 'IncidentResolved':
      return { ...state, version, status: 'resolved', resolvedAt: event.data.at, resolution: event.data.reason, resolveTimerDueAt: undefined };
    case 'IncidentAcknowledged':
      return { ...state, version, acknowledged: { at: event.data.at, by: event.data.actor } };
    case 'NoteAdded':
      return { ...state, version, notes: state.notes + 1 };
    case 'ResponseStatusChanged':
      return { ...state, version, responseStatus: event.data.to };
    case 'RootCauseRecorded': {
      const { at, actor, ...analysis } = event.data;
      return { ...state, version, rootCause: { ...analysis, at, by: actor } };
    }
    case 'ActionItemAdded': {
      const { itemId, title, priority, owner, dueDate } = event.data;
      return { ...state, version, actionItems: { ...state.actionItems, [itemId]: { title, priority, owner, dueDate } } };
    }
    case 'ActionItemCompleted': {
      const item = state.actionItems[event.data.itemId];
      if (!item) return { ...state, version };
      return { ...state, version, actionItems: { ...state.actionItems, [event.data.itemId]: { ...item, completedAt: event.data.at } } };
    }
    case 'AcknowledgementDeadlineScheduled':
    case 'IncidentEscalated':
      // Escalation bookkeeping: the remediation service folds these itself (remediation-domain).
      return { ...state, version };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function attach<S extends Exclude<IncidentState, { status: 'none' }>>(state: S, s: AttachedSignal): S {
  const users = s.userId && !state.users.has(s.userId) ? new Set([...state.users, s.userId]) : state.users;
  const components = s.component ? { ...state.components, [s.component]: (state.components[s.component] ?? 0) + 1 } : state.components;
  const alerts = s.alertFingerprint ? new Set([...state.alertFingerprints, s.alertFingerprint]) : state.alertFingerprints;
  const impact = state.impact;
  return {
    ...state,
    users,
    components,
    alertFingerprints: alerts,
    impact: {
      ...impact,
      signalCount: impact.signalCount + 1,
      firstSeenAt: s.at < impact.firstSeenAt ? s.at : impact.firstSeenAt,
      lastSeenAt: s.at > impact.lastSeenAt ? s.at : impact.lastSeenAt,
      affectedUsers: users.size,
      busiestComponent: busiest(components),
      buckets: { ...impact.buckets, [s.bucket]: (impact.buckets[s.bucket] ?? 0) + 1 },
    },
  };
}

function busiest(components: Readonly<Record<string, number>>): Impact['busiestComponent'] {
  let top: Impact['busiestComponent'];
  for (const [component, signals] of Object.entries(components)) {
    if (!top || signals > top.signals || (signals === top.signals && component < top.component)) top = { component, signals };
  }
  return top;
}

export function foldIncident(events: readonly IncidentEvent[]): IncidentState {
  return events.reduce(evolveIncident, initialIncident);
}
