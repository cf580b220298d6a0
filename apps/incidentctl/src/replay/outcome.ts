import { foldIncident, type IncidentEvent, isIncidentEventType } from '@incident/incident-domain';

/** An incident as the comparison sees it: what it was, how big, when, and which rules decided. */
export interface IncidentOutcome {
  /** `fingerprint #n`: the n-th incident of the fingerprint, by opening time. */
  key: string;
  incidentId: string;
  fingerprint: string;
  source: string;
  type: string;
  severity: string;
  status: string;
  signalCount: number;
  affectedUsers: number;
  openedAt: string;
  resolvedAt: string | null;
  /** The correlation rule that opened it, the classifier rule that named it, what resolved it. */
  openedBy: string;
  classifiedBy: string;
  resolvedBy: string | null;
  ruleSetVersion: string;
  policyVersion: string;
}

/** The fields held against each other; versions are reported, not compared (a what-if changes them). */
export const COMPARED = ['type', 'severity', 'status', 'signalCount', 'affectedUsers', 'openedAt', 'resolvedAt', 'openedBy', 'classifiedBy', 'resolvedBy'] as const;
export type ComparedField = (typeof COMPARED)[number];

export interface FieldChange {
  field: ComparedField;
  recorded: string | number | null;
  replayed: string | number | null;
}

export interface Comparison {
  identical: boolean;
  same: number;
  onlyRecorded: IncidentOutcome[];
  onlyReplayed: IncidentOutcome[];
  changed: { key: string; recorded: IncidentOutcome; replayed: IncidentOutcome; changes: FieldChange[] }[];
}

type Stored = { type: string; payload: Record<string, unknown> };

/** Outcomes of incident streams (events in stream order), keyed per fingerprint in opening order. */
export function outcomes(streams: ReadonlyMap<string, readonly Stored[]>): IncidentOutcome[] {
  const unkeyed = [...streams.entries()].map(([incidentId, events]) => outcomeOf(incidentId, events)).filter((o): o is IncidentOutcome => o !== undefined);
  unkeyed.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint) || a.openedAt.localeCompare(b.openedAt) || a.incidentId.localeCompare(b.incidentId));
  const seen = new Map<string, number>();
  return unkeyed.map((o) => {
    const n = (seen.get(o.fingerprint) ?? 0) + 1;
    seen.set(o.fingerprint, n);
    return { ...o, key: `${o.fingerprint} #${n}` };
  });
}

function outcomeOf(incidentId: string, stored: readonly Stored[]): IncidentOutcome | undefined {
  const events = stored.filter((e) => isIncidentEventType(e.type)).map((e) => ({ type: e.type, data: e.payload }) as IncidentEvent);
  const opened = events[0];
  if (opened?.type !== 'IncidentOpened') return undefined;
  const state = foldIncident(events);
  if (state.status === 'none') return undefined;
  const resolved = [...events].reverse().find((e): e is Extract<IncidentEvent, { type: 'IncidentResolved' }> => e.type === 'IncidentResolved');
  return {
    key: '',
    incidentId,
    fingerprint: state.fingerprint,
    source: state.source,
    type: state.type,
    severity: state.severity,
    status: state.status,
    signalCount: state.impact.signalCount,
    affectedUsers: state.impact.affectedUsers,
    openedAt: state.openedAt,
    resolvedAt: state.status === 'resolved' ? state.resolvedAt : null,
    openedBy: opened.data.basis.rule,
    classifiedBy: opened.data.classification.ruleId,
    resolvedBy: state.status === 'resolved' && resolved ? (resolved.data.actor === 'correlation' ? resolved.data.basis.rule : `${resolved.data.actor} (${resolved.data.basis?.rule ?? 'by hand'})`) : null,
    ruleSetVersion: opened.data.classification.ruleSetVersion,
    policyVersion: opened.data.basis.policyVersion,
  };
}

/** Recorded against replayed, matched by key (fingerprint and ordinal). */
export function compare(recorded: readonly IncidentOutcome[], replayed: readonly IncidentOutcome[]): Comparison {
  const byKey = new Map(replayed.map((o) => [o.key, o]));
  const recordedKeys = new Set(recorded.map((o) => o.key));
  const changed: Comparison['changed'] = [];
  const onlyRecorded: IncidentOutcome[] = [];
  let same = 0;
  for (const r of recorded) {
    const p = byKey.get(r.key);
    if (!p) {
      onlyRecorded.push(r);
      continue;
    }
    const changes = COMPARED.filter((field) => r[field] !== p[field]).map((field) => ({ field, recorded: r[field], replayed: p[field] }));
    if (changes.length === 0) same++;
    else changed.push({ key: r.key, recorded: r, replayed: p, changes });
  }
  const onlyReplayed = replayed.filter((o) => !recordedKeys.has(o.key));
  return { identical: changed.length === 0 && onlyRecorded.length === 0 && onlyReplayed.length === 0, same, onlyRecorded, onlyReplayed, changed };
}
