import { GENESIS_HASH, type StoredEvent, eventHash } from '@incident/event-store';
import { type IncidentView, incidentView } from '@incident/incident-api';
import { type EventRecord, eventRecord } from '../output/events';
import { type Timeline, timelineOf } from '../timeline/timeline';
import type { VerifyReport } from '../verify/report';

export const EVIDENCE_FORMAT = 'incidentctl/evidence';
export const EVIDENCE_FORMAT_VERSION = 1;

/** How anyone can re-check the events without incidentctl: the chain's recipe, stated in the bundle. */
export const HASH_CHAIN_RECIPE = {
  hash: 'lower-case hex SHA-256 of the UTF-8 text prevHash + canonical (concatenated)',
  genesis: GENESIS_HASH,
  canonical:
    'JSON with object keys sorted (by UTF-16 code units, as JavaScript sorts strings) and no whitespace, of {id, metadata, occurredAt, payload, schemaVersion, ' +
    'streamId, streamVersion, type}; occurredAt as ISO-8601 UTC with milliseconds',
  prevHash: 'the hash of the previous version; the genesis value for version 1',
} as const;

export type EvidenceEvent = EventRecord & { prevHash: string };

export interface Evidence {
  header: {
    format: typeof EVIDENCE_FORMAT;
    formatVersion: typeof EVIDENCE_FORMAT_VERSION;
    exportedAt: string;
    exportedBy: string;
    incidentId: string;
    streamId: string;
    schema: string;
    eventCount: number;
    lastVersion: number;
    headHash: string;
    hashChain: typeof HASH_CHAIN_RECIPE;
    records: string[];
    notes: string[];
  };
  events: EvidenceEvent[];
  state: IncidentView | null;
  timeline: Timeline;
  verification: {
    /** The log's own check of this stream (chain, head, global sequence), run at export. */
    log: VerifyReport;
    /** The exported events re-hashed here by the recipe above: the bundle is consistent in itself. */
    bundle: { ok: boolean; eventsChecked: number; firstMismatch: number | null };
  };
}

export function buildEvidence(args: { incidentId: string; streamId: string; schema: string; exportedAt: string; tool: string; events: readonly StoredEvent[]; verify: VerifyReport }): Evidence {
  const { events } = args;
  const last = events[events.length - 1];
  return {
    header: {
      format: EVIDENCE_FORMAT,
      formatVersion: EVIDENCE_FORMAT_VERSION,
      exportedAt: args.exportedAt,
      exportedBy: args.tool,
      incidentId: args.incidentId,
      streamId: args.streamId,
      schema: args.schema,
      eventCount: events.length,
      lastVersion: last?.streamVersion ?? 0,
      headHash: last?.hash ?? GENESIS_HASH,
      hashChain: HASH_CHAIN_RECIPE,
      records: ['header', 'event (one per stream version, in order)', 'state', 'timeline', 'verification'],
      notes: [
        'events are exported as stored (before any upcasting): that is what their hashes cover',
        'state is the domain fold (incident-domain evolveIncident) of all the events; timeline is the incident API renderer',
        'no postmortem is included: this build of the platform does not draft postmortems yet',
      ],
    },
    events: events.map((e, i) => ({ ...eventRecord(e), prevHash: i === 0 ? GENESIS_HASH : events[i - 1].hash })),
    state: incidentView(events) ?? null,
    timeline: timelineOf(args.incidentId, events),
    verification: { log: args.verify, bundle: rehash(events) },
  };
}

function rehash(events: readonly StoredEvent[]): Evidence['verification']['bundle'] {
  let prev = GENESIS_HASH;
  for (const e of events) {
    const fields = { id: e.id, streamId: e.streamId, streamVersion: e.streamVersion, type: e.type, schemaVersion: e.schemaVersion, occurredAt: e.occurredAt, payload: e.payload, metadata: e.metadata };
    if (eventHash(prev, fields) !== e.hash) return { ok: false, eventsChecked: events.length, firstMismatch: e.streamVersion };
    prev = e.hash;
  }
  return { ok: true, eventsChecked: events.length, firstMismatch: null };
}

/** One JSON document per line, each tagged with its `record` kind, header first. */
export function evidenceJsonl(b: Evidence): string {
  const lines = [
    { record: 'header', ...b.header },
    ...b.events.map((e) => ({ record: 'event', ...e })),
    { record: 'state', incident: b.state },
    { record: 'timeline', ...b.timeline },
    { record: 'verification', ...b.verification },
  ];
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
