import type { IncidentType, Severity } from '@incident/contracts';
import type { ActionItemPriority, Fishbone } from '@incident/incident-domain';

/**
 * The postmortem policy. The playbook's checklist says "Write postmortem within 24 hours": a draft
 * is due that long after the incident resolved. A change here is a new version, so drafts already
 * recorded keep the rule they were made under.
 */
export const POSTMORTEM_POLICY = {
  version: 'postmortem/v1',
  /** The playbook's postmortem template ("Postmortem Templates"), as this lib fills it in. */
  template: 'playbook-postmortem/v1',
  dueAfterMs: 24 * 60 * 60_000,
} as const;

/** One line of the postmortem's UTC timeline. */
export interface PostmortemTimelineEntry {
  at: string;
  /** Stream version of the event the line comes from. */
  version: number;
  event: string;
  what: string;
  actor: string;
}

export interface PostmortemActionItem {
  id: string;
  title: string;
  priority: ActionItemPriority;
  owner: string;
  dueDate: string;
  completedAt: string | null;
}

export interface PostmortemRootCause {
  statement: string;
  fix: string;
  /** The 5 Whys chain, first "why" first. */
  fiveWhys: string[];
  fishbone: Fishbone;
  recordedBy: string;
  recordedAt: string;
}

/**
 * The playbook's postmortem, structured: what the markdown is rendered from and what the JSON
 * answer carries. Absent things are `null` or empty lists, never missing keys, so a draft reads
 * back from the log (jsonb) exactly as it was written.
 */
export interface Postmortem {
  template: string;
  incidentId: string;
  title: string;
  incidentType: IncidentType;
  source: string;
  summary: string;
  /** UTC date the incident started (YYYY-MM-DD). */
  date: string;
  /** The earliest of the first failure signal and the opening. */
  startedAt: string;
  resolvedAt: string;
  durationMs: number;
  duration: string;
  /** The most severe the incident was at any point. */
  severity: Severity;
  /** The severity it had when it resolved. */
  finalSeverity: Severity;
  impact: {
    affectedUsers: number;
    peakErrorRate: number | null;
    signalCount: number;
    busiestComponent: string | null;
  };
  timeline: PostmortemTimelineEntry[];
  rootCause: PostmortemRootCause | null;
  contributingFactors: string[];
  wentWell: string[];
  wentPoorly: string[];
  lessonsLearned: string[];
  actionItems: PostmortemActionItem[];
  resolution: { at: string; by: string; reason: string };
  /** Due 24 hours after resolution (the playbook's checklist). */
  dueAt: string;
  /** The incident stream version the draft was made from. */
  incidentVersion: number;
}

/** When the postmortem of an incident resolved at `resolvedAt` is due. */
export function postmortemDueAt(resolvedAt: string): string {
  return new Date(Date.parse(resolvedAt) + POSTMORTEM_POLICY.dueAfterMs).toISOString();
}

/** True once `now` is past the due time and the postmortem is not final. */
export function isOverdue(dueAt: string, now: string, final = false): boolean {
  return !final && Date.parse(now) > Date.parse(dueAt);
}
