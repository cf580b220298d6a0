import type { StoredEvent } from '@incident/event-store';
import { type TimelineEntry, type TimelineEvent, renderTimeline } from '@incident/incident-api';
import { type Column, renderTable } from '../output/table';

export interface Timeline {
  incidentId: string;
  version: number;
  entries: TimelineEntry[];
}

/** The same timeline GET /v1/incidents/{id}/timeline serves: incident-api's renderer over the stream. */
export function timelineOf(incidentId: string, events: readonly StoredEvent[]): Timeline {
  return {
    incidentId,
    version: events.length > 0 ? events[events.length - 1].streamVersion : 0,
    entries: renderTimeline(events.map(timelineEvent)),
  };
}

function timelineEvent(e: StoredEvent): TimelineEvent {
  return {
    type: e.type,
    version: e.streamVersion,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    payload: e.payload,
    metadata: e.metadata,
  };
}

const COLUMNS: Column<TimelineEntry>[] = [
  { header: 'VERSIONS', value: (e) => (e.versions.from === e.versions.to ? `${e.versions.from}` : `${e.versions.from}-${e.versions.to}`), align: 'right' },
  { header: 'ENTRY', value: (e) => e.text },
];

/** One line per entry, as the renderer words it: when, what, who decided, and on which rule, policy version and inputs. */
export function timelineText(t: Timeline): string {
  return `incident ${t.incidentId}, ${t.entries.length} entries over versions 1-${t.version} (times in UTC)\n${renderTable(t.entries, COLUMNS)}`;
}
