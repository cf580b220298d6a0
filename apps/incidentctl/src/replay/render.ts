import { type Column, count, renderFields, renderTable } from '../output/table';
import type { IncidentOutcome } from './outcome';
import type { ReplayResult } from './run-replay';

const OUTCOME_COLUMNS: Column<IncidentOutcome>[] = [
  { header: 'INCIDENT', value: (o) => o.key, max: 60 },
  { header: 'SEVERITY', value: (o) => o.severity },
  { header: 'STATUS', value: (o) => o.status },
  { header: 'SIGNALS', value: (o) => o.signalCount, align: 'right' },
  { header: 'USERS', value: (o) => o.affectedUsers, align: 'right' },
  { header: 'OPENED', value: (o) => o.openedAt },
  { header: 'RESOLVED', value: (o) => o.resolvedAt },
  { header: 'RULES', value: (o) => `${o.classifiedBy}, ${o.openedBy}${o.resolvedBy ? `, ${o.resolvedBy}` : ''}` },
];

/** The report for people: what was replayed under which versions, then the verdict and the differences. */
export function replayText(r: ReplayResult, kept: boolean): string {
  const c = r.comparison;
  const versions = (recorded: string[], replayed: string[]) =>
    `${replayed.join(', ') || '-'}${sameList(recorded, replayed) ? ' (as recorded)' : ` (recorded: ${recorded.join(', ') || 'none'})`}`;
  const header = renderFields([
    ['window', `${r.window.from} to ${r.window.to} (recorded at)${r.window.sources ? `, sources ${r.window.sources.join(', ')}` : ''}`],
    ['log', `schema ${r.schema}, read only`],
    ['replayed into', `schema ${r.scratchSchema} (${kept ? 'kept' : 'dropped'}): ${count(r.eventsWritten)} events`],
    ['inputs', `${count(r.inputs.signals)} signals, ${count(r.inputs.trafficSamples)} traffic samples, ${count(r.inputs.timerTicks)} timer ticks, ${count(r.inputs.responderEvents)} responder events`],
    ['classifier rules', versions(r.versions.recorded.ruleSets, r.versions.replayed.ruleSets)],
    ['correlation policy', versions(r.versions.recorded.policies, r.versions.replayed.policies)],
    ...(r.inputs.unclassified > 0 ? [['note', `${count(r.inputs.unclassified)} signals had no recorded classification yet (the pipeline was behind)`] as const] : []),
  ]);
  const verdict = c.identical
    ? `IDENTICAL: ${count(r.replayed.length)} incidents replayed, each as recorded\n`
    : `${r.determinismCheck ? 'DIFFERENT (the replay under the recorded versions does not reproduce the log)' : 'DIFFERENT (what-if)'}: ${count(c.same)} as recorded, ${count(c.changed.length)} changed, ${count(c.onlyRecorded.length)} only recorded, ${count(c.onlyReplayed.length)} only in the replay\n`;
  const sections: string[] = [header, verdict];
  if (c.identical) sections.push(renderTable(r.replayed, OUTCOME_COLUMNS));
  if (c.onlyRecorded.length > 0) sections.push(`only recorded (the replay did not open these):\n${renderTable(c.onlyRecorded, OUTCOME_COLUMNS)}`);
  if (c.onlyReplayed.length > 0) sections.push(`only in the replay (it would have opened these):\n${renderTable(c.onlyReplayed, OUTCOME_COLUMNS)}`);
  if (c.changed.length > 0) {
    const rows = c.changed.flatMap((d) => d.changes.map((ch) => ({ key: d.key, field: ch.field, recorded: ch.recorded, replayed: ch.replayed })));
    sections.push(
      `changed:\n${renderTable(rows, [
        { header: 'INCIDENT', value: (x) => x.key, max: 60 },
        { header: 'FIELD', value: (x) => x.field },
        { header: 'RECORDED', value: (x) => x.recorded },
        { header: 'REPLAYED', value: (x) => x.replayed },
      ])}`,
    );
  }
  return sections.join('\n');
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}
