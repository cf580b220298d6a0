import type { IncidentView } from '@incident/incident-api';
import { type EventRecord, eventsTable } from '../output/events';
import { type Column, count, renderFields, renderTable } from '../output/table';

const LIST_COLUMNS: Column<IncidentView>[] = [
  { header: 'ID', value: (v) => v.id },
  { header: 'STATUS', value: (v) => v.status },
  { header: 'SEVERITY', value: (v) => v.severity },
  { header: 'TYPE', value: (v) => v.type },
  { header: 'SERVICE', value: (v) => v.source, max: 24 },
  { header: 'OPENED AT', value: (v) => v.openedAt },
  { header: 'SIGNALS', value: (v) => v.impact.signalCount, align: 'right' },
  { header: 'USERS', value: (v) => v.impact.affectedUsers, align: 'right' },
  { header: 'TITLE', value: (v) => v.title, max: 60 },
];

export function incidentListText(items: readonly IncidentView[], matched: number, total: number): string {
  const table = items.length > 0 ? renderTable(items, LIST_COLUMNS) : '';
  const shown = items.length < matched ? `${count(items.length)} of ${count(matched)}` : count(matched);
  return `${table}${shown} matching incident${matched === 1 ? '' : 's'} (of ${count(total)} in the log; folded from the incident streams)\n`;
}

export function incidentStateText(view: IncidentView, events: readonly EventRecord[]): string {
  const asOf = [view.asOf.at && `recorded at or before ${view.asOf.at}`, view.asOf.version && `up to version ${view.asOf.version}`]
    .filter(Boolean)
    .join(', ');
  const impact = view.impact;
  const fields: [string, string | number | null][] = [
    ['incident', view.id],
    ['as of', asOf ? `${asOf} (version ${view.version})` : `now (version ${view.version})`],
    ['status', view.status],
    ['severity', view.severity],
    ['type', view.type],
    ['service', view.source],
    ['title', view.title],
    ['fingerprint', view.fingerprint],
    ['opened at', view.openedAt],
    ['resolved at', view.resolvedAt],
    ['resolution', view.resolution],
    ['resolve timer due', view.resolveTimerDueAt],
    ['signals', impact.signalCount],
    ['affected users', impact.affectedUsers],
    ['first / last seen', `${impact.firstSeenAt} / ${impact.lastSeenAt}`],
    ['error rate', impact.errorRate === undefined ? null : `${(impact.errorRate * 100).toFixed(1)}% (peak ${((impact.peakErrorRate ?? 0) * 100).toFixed(1)}%)`],
    ['components', Object.entries(view.components).map(([c, n]) => `${c} x${n}`).join(', ') || null],
  ];
  return `${renderFields(fields)}\nevents that led there (${count(events.length)}):\n${eventsTable(events)}`;
}
