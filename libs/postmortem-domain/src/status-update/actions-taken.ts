import type { IncidentState } from '@incident/incident-domain';
import { detailOf, humanDuration, oneLine, sentence, utcDate, utcHourMinute, words } from '../format';
import { byEventTime, type HistoryEvent } from '../history';

type Known = Exclude<IncidentState, { status: 'none' }>;

// What the platform does by itself (opening, counting, measuring, timers) is impact, not an action.
const NOT_ACTIONS = new Set(['IncidentOpened', 'SignalAttached', 'ErrorRateMeasured', 'ResolveTimerScheduled', 'AcknowledgementDeadlineScheduled', 'ActionItemAdded']);

/**
 * The template's "Actions Taken": what people and the remediation service did, in time order,
 * each with its time, ✅ when done, 🔄 for the status the incident is in now, ❌ for what failed,
 * ⚠️ for an escalation. Severity changes count only when a person made them.
 */
export function actionsTaken(state: Known, history: readonly HistoryEvent[], started: string): string[] {
  const titles = new Map<string, string>();
  const day = utcDate(started);
  const ordered = [...history].sort(byEventTime);
  const lastStatus = [...ordered].reverse().find((e) => e.type === 'ResponseStatusChanged');
  const lines: string[] = [];
  for (const e of ordered) {
    if (e.type === 'ActionItemAdded') titles.set(String(e.payload['itemId']), String(e.payload['title']));
    if (NOT_ACTIONS.has(e.type) || (e.type === 'SeverityChanged' && e.actor === 'correlation')) continue;
    const ongoing = state.status === 'open' && e === lastStatus;
    const mark = ongoing ? '🔄' : /Failed|Rejected/.test(e.type) ? '❌' : /Escalat/.test(e.type) ? '⚠️' : '✅';
    const time = utcDate(e.at) === day ? utcHourMinute(e.at) : `${utcDate(e.at)} ${utcHourMinute(e.at)}`;
    lines.push(`${mark} ${describe(e, titles)} (${time})`);
  }
  return lines;
}

function describe(e: HistoryEvent, titles: ReadonlyMap<string, string>): string {
  const p = e.payload;
  const by = e.actor ?? 'unknown';
  switch (e.type) {
    case 'IncidentAcknowledged':
      return `Acknowledged by ${by}`;
    case 'ResponseStatusChanged':
      return p['to'] === 'monitoring' ? `Monitoring recovery (${by})` : p['to'] === 'identified' ? `Cause identified (${by})` : `Investigating (${by})`;
    case 'NoteAdded':
      return `${oneLine(p['text'], 160)} (${by})`;
    case 'SeverityChanged':
      return `Severity ${String(p['from'])} → ${String(p['to'])} by ${by}: ${oneLine(p['reason'], 120)}`;
    case 'RootCauseRecorded':
      return `Identified root cause: ${oneLine(p['rootCause'], 160)} (${by})`;
    case 'ActionItemCompleted':
      return `Completed action item: ${oneLine(titles.get(String(p['itemId'])) ?? p['itemId'], 120)} (${by})`;
    case 'IncidentResolved':
      return `Resolved by ${by}: ${oneLine(p['reason'], 160)}`;
    case 'IncidentEscalated': {
      const missed = typeof p['missedByMs'] === 'number' ? ` (${humanDuration(p['missedByMs'])} past the deadline)` : '';
      return `Escalated by ${by}: ${String(p['severity'])} not acknowledged in time${missed}`;
    }
    default: {
      const detail = detailOf(p, 160);
      return `${sentence(words(e.type))}${detail ? `: ${detail}` : ''} (${by})`;
    }
  }
}
