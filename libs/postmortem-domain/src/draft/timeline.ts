import type { HistoryEvent } from '../history';
import { count, detailOf, humanDuration, oneLine, pct, sentence, typeLabel, words } from '../format';
import { byEventTime } from '../history';
import type { PostmortemTimelineEntry } from '../postmortem';

// Routine events say nothing a reader of the timeline needs line by line: signals and traffic
// samples are summed up (first signal, peak error rate), timers are internal, and action items
// have their own section.
const PASSED_OVER = new Set([
  'SignalAttached', 'ErrorRateMeasured', 'ResolveTimerScheduled', 'AcknowledgementDeadlineScheduled', 'ActionItemAdded', 'ActionItemCompleted',
]);

/**
 * The postmortem's UTC timeline: opened, first failure, severity changes, the peak error rate,
 * escalations, acknowledgements, status changes, notes, remediation steps (any type another
 * service records), root cause, resolution; in event-time order (stream order on ties).
 */
export function postmortemTimeline(history: readonly HistoryEvent[]): PostmortemTimelineEntry[] {
  const entries: (PostmortemTimelineEntry & { stream?: string })[] = [];
  let firstSignal: HistoryEvent | undefined;
  let peak: HistoryEvent | undefined;
  for (const e of history) {
    if (e.type === 'SignalAttached' && (!firstSignal || e.at < firstSignal.at)) firstSignal = e;
    if (e.type === 'ErrorRateMeasured' && num(e.payload['errorRate']) > num(peak?.payload['errorRate'])) peak = e;
    if (PASSED_OVER.has(e.type)) continue;
    entries.push(entryOf(e, describe(e)));
  }
  if (firstSignal) entries.push(entryOf(firstSignal, firstFailure(firstSignal)));
  if (peak) {
    const p = peak.payload;
    entries.push(entryOf(peak, `Error rate peaks at ${pct(num(p['errorRate']))} (${count(num(p['errors']))} of ${count(num(p['requests']))} requests)`));
  }
  return entries.sort(byEventTime).map(({ stream: _stream, ...entry }) => entry);
}

function entryOf(e: HistoryEvent, what: string): PostmortemTimelineEntry & { stream?: string } {
  return { at: e.at, version: e.version, event: e.type, what, actor: e.actor ?? 'unknown', ...(e.stream ? { stream: e.stream } : {}) };
}

/** One event in words; the words name whoever acted, so the line needs nothing after it. */
function describe(e: HistoryEvent): string {
  const p = e.payload;
  const by = e.actor ?? 'unknown';
  switch (e.type) {
    case 'IncidentOpened':
      return `Incident opened as ${str(p['severity'])} (${typeLabel(str(p['incidentType']))} in ${str(p['source'])}): ${oneLine(p['title'])}`;
    case 'SeverityChanged':
      return `Severity ${str(p['from'])} → ${str(p['to'])} by ${by}: ${oneLine(p['reason'])}`;
    case 'IncidentAcknowledged':
      return `Acknowledged by ${by}`;
    case 'ResponseStatusChanged':
      return `Status ${str(p['from'])} → ${str(p['to'])} by ${by}`;
    case 'NoteAdded':
      return `Note from ${by}: ${oneLine(p['text'])}`;
    case 'RootCauseRecorded':
      return `Root cause recorded by ${by}: ${oneLine(p['rootCause'])}`;
    case 'IncidentResolved':
      return `Incident resolved by ${by}: ${oneLine(p['reason'])}`;
    case 'IncidentEscalated': {
      const missed = typeof p['missedByMs'] === 'number' ? `, ${humanDuration(p['missedByMs'])} past the deadline` : '';
      return `Escalated by ${by}: ${str(p['severity'])} not acknowledged within its response time${missed}`;
    }
    default: {
      // A type another service records (remediation steps, ...): its name and its own words.
      const detail = detailOf(p);
      return `${sentence(words(e.type))}${detail ? `: ${detail}` : ''} (${by})`;
    }
  }
}

function firstFailure(e: HistoryEvent): string {
  const p = e.payload;
  const parts = [p['level'], p['errorCode'] ? `error code ${str(p['errorCode'])}` : undefined, p['component'] ? `in ${str(p['component'])}` : undefined];
  return `First failure signal (${parts.filter((x) => typeof x === 'string').join(', ')})`;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '?' : String(value);
}
