import type { Severity } from '@incident/contracts';
import { type IncidentState, RESPONSE_TIME_MS } from '@incident/incident-domain';
import { count, humanDuration, pct, sentence, typeLabel, utcMinute } from '../format';
import type { HistoryEvent } from '../history';
import { postmortemDueAt } from '../postmortem';
import { actionsTaken } from './actions-taken';

/**
 * When the next status update is promised. The playbook's communication template is a SEV-2
 * alert that says "In 15 minutes or when resolved" and names no other cadence; SEV-1, at least as
 * urgent, gets the same 15 minutes, and SEV-3 and SEV-4 (response times of 1 and 24 hours) an
 * update every hour.
 */
export const UPDATE_CADENCE_MS: Readonly<Record<Severity, number>> = {
  'SEV-1': 15 * 60_000,
  'SEV-2': 15 * 60_000,
  'SEV-3': 60 * 60_000,
  'SEV-4': 60 * 60_000,
};

type Known = Exclude<IncidentState, { status: 'none' }>;

/**
 * The playbook's communication template ("Incident Alert"), filled in from the incident as it
 * stands: title, severity, status, start, affected users, current impact with the error rate,
 * the actions taken with their times, and when the next update comes. `now` is the caller's clock.
 */
export function renderStatusUpdate(state: Known, history: readonly HistoryEvent[], now: string): string {
  const started = state.impact.firstSeenAt < state.openedAt ? state.impact.firstSeenAt : state.openedAt;
  const status = state.status === 'resolved' ? 'Resolved' : sentence(state.responseStatus);
  const users = state.impact.affectedUsers > 0 ? `~${count(state.impact.affectedUsers)} ${state.impact.affectedUsers === 1 ? 'user' : 'users'}` : 'unknown (the signals carry no user ids)';
  const actions = actionsTaken(state, history, started);
  return [
    `# Incident Alert: ${state.title}`,
    '',
    `**Severity**: ${state.severity}`,
    `**Status**: ${status}`,
    `**Started**: ${utcMinute(started)}`,
    `**Affected**: ${users}`,
    '',
    '## Current Impact',
    ...currentImpact(state, history, now).map((line) => `- ${line}`),
    '',
    '## Actions Taken',
    ...(actions.length > 0 ? actions.map((a, i) => `${i + 1}. ${a}`) : ['1. 🔄 Investigating: no responder action recorded yet']),
    '',
    '## Next Update',
    nextUpdate(state, now),
    '',
  ].join('\n');
}

function currentImpact(state: Known, history: readonly HistoryEvent[], now: string): string[] {
  const where = state.impact.busiestComponent ? `${state.source} (${state.impact.busiestComponent.component})` : state.source;
  const code = topErrorCode(history);
  const signals = `${count(state.impact.signalCount)} failure ${state.impact.signalCount === 1 ? 'signal' : 'signals'}`;
  const lines = [`${typeLabel(state.type)} failures in ${where}${code ? ` with ${code} errors` : ''}: ${signals} so far`];
  const { errorRate, peakErrorRate } = state.impact;
  lines.push(
    errorRate === undefined
      ? `Error rate: not measured (${state.source} sends no traffic samples)`
      : `Error rate: ${pct(errorRate)}${peakErrorRate !== undefined && peakErrorRate > errorRate ? ` (peak ${pct(peakErrorRate)})` : ''}`,
  );
  if (state.acknowledged) lines.push(`Acknowledged by ${state.acknowledged.by} at ${utcMinute(state.acknowledged.at)}`);
  else if (state.status === 'open') {
    const waiting = humanDuration(Date.parse(now) - Date.parse(state.openedAt));
    const target = RESPONSE_TIME_MS[state.severity] === 0 ? 'immediate' : humanDuration(RESPONSE_TIME_MS[state.severity]);
    lines.push(`Not acknowledged yet, open for ${waiting} (${state.severity} response time: ${target})`);
  }
  return lines;
}

function nextUpdate(state: Known, now: string): string {
  if (state.status === 'resolved') {
    return `None planned: resolved at ${utcMinute(state.resolvedAt)} (${state.resolution}). The postmortem is due by ${utcMinute(postmortemDueAt(state.resolvedAt))}.`;
  }
  const cadence = UPDATE_CADENCE_MS[state.severity];
  return `In ${humanDuration(cadence)} (by ${utcMinute(new Date(Date.parse(now) + cadence).toISOString())}) or when resolved.`;
}

/** The error code most of the attached signals carry, if any carries one. */
function topErrorCode(history: readonly HistoryEvent[]): string | undefined {
  const tally = new Map<string, number>();
  for (const e of history) {
    const code = e.type === 'SignalAttached' ? e.payload['errorCode'] : undefined;
    if (typeof code === 'string' && code !== '') tally.set(code, (tally.get(code) ?? 0) + 1);
  }
  return [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
