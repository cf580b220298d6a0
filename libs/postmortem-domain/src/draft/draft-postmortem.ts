import { SEVERITIES, type Severity } from '@incident/contracts';
import type { IncidentState } from '@incident/incident-domain';
import { count, humanDuration, pct, typeLabel, utcDate } from '../format';
import { foldHistory, type HistoryEvent } from '../history';
import { type Postmortem, POSTMORTEM_POLICY, postmortemDueAt } from '../postmortem';
import { postmortemTimeline } from './timeline';

type Resolved = Extract<IncidentState, { status: 'resolved' }>;

/**
 * The playbook's postmortem, filled in from an incident's recorded history: summary, date,
 * duration, severity, impact, UTC timeline, root cause and contributing factors, what went well
 * and poorly, action items, lessons learned. Undefined while the incident is not resolved (there
 * is nothing to write a postmortem about yet). Pure: the same history gives the same postmortem.
 */
export function draftPostmortem(history: readonly HistoryEvent[]): Postmortem | undefined {
  const state = foldHistory(history);
  if (state.status !== 'resolved') return undefined;
  const startedAt = state.impact.firstSeenAt < state.openedAt ? state.impact.firstSeenAt : state.openedAt;
  const durationMs = Math.max(0, Date.parse(state.resolvedAt) - Date.parse(startedAt));
  const rc = state.rootCause;
  const draft: Omit<Postmortem, 'summary'> = {
    template: POSTMORTEM_POLICY.template,
    incidentId: state.id,
    title: state.title,
    incidentType: state.type,
    source: state.source,
    date: utcDate(startedAt),
    startedAt,
    resolvedAt: state.resolvedAt,
    durationMs,
    duration: humanDuration(durationMs),
    severity: highestSeverity(history, state.severity),
    finalSeverity: state.severity,
    impact: {
      affectedUsers: state.impact.affectedUsers,
      peakErrorRate: state.impact.peakErrorRate ?? null,
      signalCount: state.impact.signalCount,
      busiestComponent: state.impact.busiestComponent?.component ?? null,
    },
    timeline: postmortemTimeline(history),
    rootCause: rc ? { statement: rc.rootCause, fix: rc.fix, fiveWhys: [...rc.fiveWhys], fishbone: rc.fishbone, recordedBy: rc.by, recordedAt: rc.at } : null,
    contributingFactors: [...(rc?.contributingFactors ?? [])],
    wentWell: [...(rc?.wentWell ?? [])],
    wentPoorly: [...(rc?.wentPoorly ?? [])],
    lessonsLearned: [...(rc?.lessonsLearned ?? [])],
    actionItems: Object.entries(state.actionItems).map(([id, item]) => ({ id, ...item, completedAt: item.completedAt ?? null })),
    resolution: { at: state.resolvedAt, by: resolver(history), reason: state.resolution },
    dueAt: postmortemDueAt(state.resolvedAt),
    incidentVersion: history.reduce((v, e) => (e.stream === undefined ? Math.max(v, e.version) : v), 0),
  };
  return { ...draft, summary: summaryOf(draft, state) };
}

/** One paragraph, in the playbook's manner: what failed, for how long, how badly, why, how it ended. */
function summaryOf(d: Omit<Postmortem, 'summary'>, state: Resolved): string {
  const where = d.impact.busiestComponent ? `${d.source} (${d.impact.busiestComponent})` : d.source;
  const rate = d.impact.peakErrorRate === null ? '' : `, a peak error rate of ${pct(d.impact.peakErrorRate)}`;
  const users = d.impact.affectedUsers > 0 ? ` and ${count(d.impact.affectedUsers)} affected ${d.impact.affectedUsers === 1 ? 'user' : 'users'}` : '';
  const cause = d.rootCause ? ` Root cause: ${trimStop(d.rootCause.statement)}.` : ' The root cause is not recorded yet.';
  const signals = `${count(d.impact.signalCount)} failure ${d.impact.signalCount === 1 ? 'signal' : 'signals'}`;
  return (
    `${typeLabel(state.type)} incident in ${where}: "${state.title}". It lasted ${d.duration} at up to ${d.severity}${rate}${users} ` +
    `(${signals}).${cause} Resolved: ${trimStop(d.resolution.reason)}.`
  );
}

function trimStop(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

/** The most severe level the incident reached: opened at, or raised to later. */
function highestSeverity(history: readonly HistoryEvent[], current: Severity): Severity {
  const seen = history.flatMap((e) => {
    if (e.type === 'IncidentOpened') return [e.payload['severity']];
    if (e.type === 'SeverityChanged') return [e.payload['to']];
    return [];
  });
  const index = Math.min(SEVERITIES.indexOf(current), ...seen.map((s) => SEVERITIES.indexOf(s as Severity)).filter((i) => i >= 0));
  return SEVERITIES[index];
}

function resolver(history: readonly HistoryEvent[]): string {
  const resolved = [...history].reverse().find((e) => e.type === 'IncidentResolved' && e.stream === undefined);
  return resolved?.actor ?? 'unknown';
}
