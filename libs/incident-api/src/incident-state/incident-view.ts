import type { StoredEvent } from '@incident/event-store';
import { type ActionItem, evolveIncident, type Impact, initialIncident, type IncidentState, type ResponseStatus, type RootCauseAnalysis } from '@incident/incident-domain';
import { toIncidentEvent } from '../incident-events';
import type { StateQuery } from './state-query';

/** An incident's state as JSON: the domain's fold, without the user ids it keeps for counting. */
export interface IncidentView {
  id: string;
  status: 'open' | 'resolved';
  title: string;
  type: string;
  source: string;
  fingerprint: string;
  severity: string;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  resolveTimerDueAt: string | null;
  /** Version of the last event folded in: the stream version this state is as of. */
  version: number;
  impact: Impact;
  components: Record<string, number>;
  alertFingerprints: string[];
  /** What responders recorded (issue 4). */
  acknowledged: { at: string; by: string } | null;
  responseStatus: ResponseStatus;
  notes: number;
  rootCause: (RootCauseAnalysis & { at: string; by: string }) | null;
  actionItems: (Omit<ActionItem, 'completedAt'> & { id: string; completedAt: string | null })[];
  /** What was asked for: the state as of this time and/or version (null: now / latest). */
  asOf: { at: string | null; version: number | null };
}

/**
 * Folds the incident's own events (the source of truth, not the read model) with the domain's
 * evolve. Undefined when the events hold no opened incident, which the API answers with 404.
 * Event types this code does not know are skipped by the fold but still count for `version`.
 */
export function incidentView(events: readonly StoredEvent[], asked: StateQuery = {}): IncidentView | undefined {
  let state: IncidentState = initialIncident;
  for (const stored of events) {
    const event = toIncidentEvent(stored);
    if (event) state = evolveIncident(state, event);
  }
  if (state.status === 'none') return undefined;
  const resolved = state.status === 'resolved' ? state : undefined;
  return {
    id: state.id,
    status: state.status,
    title: state.title,
    type: state.type,
    source: state.source,
    fingerprint: state.fingerprint,
    severity: state.severity,
    openedAt: state.openedAt,
    resolvedAt: resolved?.resolvedAt ?? null,
    resolution: resolved?.resolution ?? null,
    resolveTimerDueAt: state.resolveTimerDueAt ?? null,
    version: events[events.length - 1].streamVersion,
    impact: state.impact,
    components: { ...state.components },
    alertFingerprints: [...state.alertFingerprints].sort(),
    acknowledged: state.acknowledged ?? null,
    responseStatus: state.responseStatus,
    notes: state.notes,
    rootCause: state.rootCause ?? null,
    // In the order they were added: item ids are UUIDs, never integer-like keys that objects reorder.
    actionItems: Object.entries(state.actionItems).map(([id, item]) => ({ id, ...item, completedAt: item.completedAt ?? null })),
    asOf: { at: asked.at?.toISOString() ?? null, version: asked.version ?? null },
  };
}
