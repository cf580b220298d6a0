import type { BlameWarning } from '../blame/detect-blame';
import { clockOn, count, pct, typeLabel, utcDate, utcHourMinute, utcMinute } from '../format';
import type { Postmortem } from '../postmortem';

/** What the stream knows about a draft besides its content. */
export interface DraftStatus {
  revision: number;
  /** Past due and not final: computed by the caller from `now`. */
  overdue: boolean;
  blameWarnings: readonly BlameWarning[];
  /** Set once a responder declared this revision final. */
  finalized?: { at: string; by: string } | null;
}

const NOT_RECORDED = '_Not recorded yet._';

/** The playbook's postmortem template ("Postmortem Templates"), filled in, as markdown. */
export function renderMarkdown(pm: Postmortem, status?: DraftStatus): string {
  const out: string[] = [`# Postmortem: ${typeLabel(pm.incidentType)} Incident in ${pm.source} (${pm.date})`, ''];
  if (status?.finalized) {
    out.push(`> Final (revision ${status.revision}), declared by ${status.finalized.by} at ${utcMinute(status.finalized.at)}. Drafted from incident \`${pm.incidentId}\` at version ${pm.incidentVersion}.`, '');
  } else if (status) {
    const due = `due ${utcMinute(pm.dueAt)}${status.overdue ? ' (**overdue**)' : ''}`;
    out.push(`> Draft revision ${status.revision}, ${due}. Drafted from incident \`${pm.incidentId}\` at version ${pm.incidentVersion}.`, '');
  }
  out.push(
    `**Date**: ${pm.date}`,
    `**Duration**: ${span(pm.startedAt, pm.resolvedAt)} UTC (${pm.duration})`,
    `**Severity**: ${pm.severity}${pm.finalSeverity !== pm.severity ? ` (${pm.finalSeverity} when resolved)` : ''}`,
    `**Impact**: ${impact(pm)}`,
    '',
    '## Summary',
    pm.summary,
    '',
    '## Timeline (UTC)',
    ...pm.timeline.map((e) => `- **${clockOn(pm.date, e.at)}** - ${e.what}`),
    '',
    '## Root Cause',
    ...rootCause(pm),
    '',
    '## Contributing Factors',
    ...numbered(pm.contributingFactors),
    '',
    '## What Went Well',
    ...bullets(pm.wentWell),
    '',
    '## What Went Poorly',
    ...bullets(pm.wentPoorly),
    '',
    '## Action Items',
    ...(pm.actionItems.length === 0
      ? [NOT_RECORDED]
      : pm.actionItems.map((a) => `- [${a.completedAt ? 'x' : ' '}] **${a.priority}**: ${a.title} (Owner: ${a.owner}, Due: ${a.dueDate})`)),
    '',
    '## Lessons Learned',
    ...bullets(pm.lessonsLearned),
  );
  if (status && status.blameWarnings.length > 0) out.push('', ...blameSection(status.blameWarnings));
  return `${out.join('\n')}\n`;
}

/** `14:35 - 15:15`, with dates when it crosses a day. */
function span(from: string, to: string): string {
  return utcDate(from) === utcDate(to) ? `${utcHourMinute(from)} - ${utcHourMinute(to)}` : `${utcDate(from)} ${utcHourMinute(from)} - ${utcDate(to)} ${utcHourMinute(to)}`;
}

function impact(pm: Postmortem): string {
  const users = pm.impact.affectedUsers > 0 ? `${count(pm.impact.affectedUsers)} ${pm.impact.affectedUsers === 1 ? 'user' : 'users'}` : 'affected users not known (no user ids in the signals)';
  const rate = pm.impact.peakErrorRate === null ? 'error rate not measured' : `${pct(pm.impact.peakErrorRate)} peak error rate`;
  return `${users}, ${rate}, ${count(pm.impact.signalCount)} failure ${pm.impact.signalCount === 1 ? 'signal' : 'signals'}`;
}

function rootCause(pm: Postmortem): string[] {
  const rc = pm.rootCause;
  if (!rc) return [NOT_RECORDED];
  const lines = [rc.statement, '', '### 5 Whys', ...rc.fiveWhys.map((why, i) => `${i + 1}. ${why}`), '', `**Fix**: ${rc.fix}`];
  const fishbone = (['people', 'process', 'technology', 'environment'] as const).filter((c) => (rc.fishbone[c] ?? []).length > 0);
  if (fishbone.length > 0) {
    lines.push('', '### Fishbone', ...fishbone.map((c) => `- **${c.charAt(0).toUpperCase()}${c.slice(1)}**: ${rc.fishbone[c].join('; ')}`));
  }
  lines.push('', `_Recorded by ${rc.recordedBy} at ${utcMinute(rc.recordedAt)}._`);
  return lines;
}

function numbered(items: readonly string[]): string[] {
  return items.length === 0 ? [NOT_RECORDED] : items.map((t, i) => `${i + 1}. ${t}`);
}

function bullets(items: readonly string[]): string[] {
  return items.length === 0 ? [NOT_RECORDED] : items.map((t) => `- ${t}`);
}

function blameSection(warnings: readonly BlameWarning[]): string[] {
  return [
    '## Blameless Review',
    `> ${warnings.length} ${warnings.length === 1 ? 'sentence blames' : 'sentences blame'} a person rather than a system (the playbook: "Don't blame individuals").`,
    '',
    ...warnings.map((w) => `- \`${w.field}\`: "${w.sentence}" (${w.rule}: "${w.match}"). ${w.suggestion}`),
  ];
}
