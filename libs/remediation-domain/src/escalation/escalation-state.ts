import type { IncidentType, Severity } from '@incident/contracts';
import type { IncidentEvent } from '@incident/incident-domain';

/** The acknowledgement deadline that counts now; a newer one replaces it. */
export interface Deadline {
  dueAt: string;
  severity: Severity;
  escalated: boolean;
}

/**
 * What the remediation service needs of an incident, folded from its stream: whether it is open
 * and acknowledged, its type, source and severity, and its acknowledgement deadline.
 */
export type IncidentFacts =
  | { status: 'none'; version: number }
  | {
      status: 'open' | 'resolved';
      incidentId: string;
      type: IncidentType;
      source: string;
      title: string;
      severity: Severity;
      acknowledged: boolean;
      deadline?: Deadline;
      version: number;
    };

export const initialIncidentFacts: IncidentFacts = { status: 'none', version: 0 };

export function evolveIncidentFacts(state: IncidentFacts, event: IncidentEvent): IncidentFacts {
  const version = state.version + 1;
  if (event.type === 'IncidentOpened') {
    const d = event.data;
    return { status: 'open', incidentId: d.incidentId, type: d.incidentType, source: d.source, title: d.title, severity: d.severity, acknowledged: false, version };
  }
  if (state.status === 'none') return { ...state, version };
  switch (event.type) {
    case 'SeverityChanged':
      return { ...state, version, severity: event.data.to };
    case 'IncidentAcknowledged':
      return { ...state, version, acknowledged: true };
    case 'IncidentResolved':
      return { ...state, version, status: 'resolved' };
    case 'AcknowledgementDeadlineScheduled':
      return { ...state, version, deadline: { dueAt: event.data.dueAt, severity: event.data.severity, escalated: false } };
    case 'IncidentEscalated':
      return state.deadline?.dueAt === event.data.deadline ? { ...state, version, deadline: { ...state.deadline, escalated: true } } : { ...state, version };
    default:
      return { ...state, version };
  }
}

export function foldIncidentFacts(events: readonly IncidentEvent[]): IncidentFacts {
  return events.reduce(evolveIncidentFacts, initialIncidentFacts);
}

/** The deadline a timer must fire at, if any: open, unacknowledged, not yet escalated. */
export function pendingDeadline(state: IncidentFacts): string | undefined {
  if (state.status !== 'open' || state.acknowledged || !state.deadline || state.deadline.escalated) return undefined;
  return state.deadline.dueAt;
}
