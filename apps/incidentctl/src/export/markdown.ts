import { actorOf, eventTimeOf } from '../output/events';
import { count } from '../output/table';
import { brokenMessage } from '../verify/report';
import type { Evidence } from './bundle';

/** The bundle as a report a person reads: the same content as the JSONL, every event included. */
export function evidenceMarkdown(b: Evidence): string {
  const h = b.header;
  const log = b.verification.log;
  const verdict = log.ok ? 'verified: every event is as it was appended' : `BROKEN: ${log.broken ? brokenMessage(log.broken) : 'see checks'}`;
  const out: string[] = [
    `# Incident evidence: ${b.state?.title ?? h.incidentId}`,
    '',
    table(['field', 'value'], [
      ['incident', `\`${h.incidentId}\``],
      ['stream', `\`${h.streamId}\` in schema \`${h.schema}\``],
      ['events', `${count(h.eventCount)} (versions 1-${h.lastVersion})`],
      ['head hash', `\`${h.headHash}\``],
      ['verification', verdict],
      ['exported', `${h.exportedAt} by ${h.exportedBy}`],
      ['format', `${h.format} v${h.formatVersion}`],
    ]),
    '',
    '## Verification',
    '',
    table(['result', 'check', 'what was checked'], log.checks.map((c) => [c.skipped ? 'skipped' : c.ok ? 'ok' : '**FAILED**', c.name, c.detail])),
    '',
    `The exported events re-hash to the recorded chain: ${b.verification.bundle.ok ? `yes (${count(b.verification.bundle.eventsChecked)} events)` : `**no**, first mismatch at version ${b.verification.bundle.firstMismatch}`}. ` +
      `Recipe: ${h.hashChain.hash}; canonical = ${h.hashChain.canonical}; ${h.hashChain.prevHash}.`,
    '',
    '## Final state',
    '',
    b.state ? table(['field', 'value'], stateRows(b)) : '_The events hold no opened incident._',
    '',
    '## Timeline (UTC)',
    '',
    table(['versions', 'entry'], b.timeline.entries.map((e) => [e.versions.from === e.versions.to ? `${e.versions.from}` : `${e.versions.from}-${e.versions.to}`, e.text])),
    '',
    '## Events',
    '',
    table(
      ['version', 'type', 'event time', 'recorded at', 'actor', 'position', 'hash'],
      b.events.map((e) => [String(e.version), e.type, eventTimeOf(e), e.recordedAt, actorOf(e) ?? '', e.globalPosition, `\`${e.hash}\``]),
    ),
    '',
    '## Appendix: the events as recorded',
    '',
    ...b.events.flatMap((e) => [`### Version ${e.version}: ${e.type}`, '', '```json', JSON.stringify(e, null, 2), '```', '']),
    ...h.notes.map((note) => `- ${note}`),
    '',
  ];
  return out.join('\n');
}

function stateRows(b: Evidence): string[][] {
  const s = b.state;
  if (!s) return [];
  return [
    ['status', s.status],
    ['severity', s.severity],
    ['type', s.type],
    ['service', s.source],
    ['opened at', s.openedAt],
    ['resolved at', s.resolvedAt ?? '-'],
    ['resolution', s.resolution ?? '-'],
    ['signals', count(s.impact.signalCount)],
    ['affected users', count(s.impact.affectedUsers)],
    ['error rate', s.impact.errorRate === undefined ? '-' : `${(s.impact.errorRate * 100).toFixed(1)}%`],
    ['version', String(s.version)],
  ];
}

function table(headers: string[], rows: string[][]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
