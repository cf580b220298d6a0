import type { StoredEvent } from '@incident/event-store';

export interface HistoryEvent {
  id: string;
  type: string;
  version: number;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** The event's link in its stream's hash chain (GET /v1/audit/verify recomputes it). */
  hash: string;
}

export interface HistoryPage {
  incidentId: string;
  events: HistoryEvent[];
  /** Pass as `fromVersion` for the rest; null once the page reached the end of the stream. */
  nextFromVersion: number | null;
}

/** A page of the raw stream, as stored (after upcasting), nothing folded or summarised. */
export function historyPage(incidentId: string, events: readonly StoredEvent[], limit: number): HistoryPage {
  const page = events.slice(0, limit);
  const last = page[page.length - 1];
  return {
    incidentId,
    events: page.map((e) => ({
      id: e.id,
      type: e.type,
      version: e.streamVersion,
      schemaVersion: e.schemaVersion,
      occurredAt: e.occurredAt.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
      payload: e.payload,
      metadata: e.metadata,
      hash: e.hash,
    })),
    nextFromVersion: events.length > limit && last ? last.streamVersion + 1 : null,
  };
}
