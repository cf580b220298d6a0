import type { StreamAppend } from '@incident/event-store';
import type { PlannedAppend } from './signal-events';

/** A request's planned appends as one appendMany: one entry per stream, in order of first use. */
export interface GroupedAppends {
  appends: StreamAppend[];
  /** Per planned item: the index of its stream's entry in `appends`. */
  entryOf: number[];
  /** Per planned item: it repeats an event id given earlier in the same request. */
  repeated: boolean[];
}

/**
 * appendMany takes each stream once and each event id once. A request may name a stream more
 * than once: several traffic samples of one source (one `source-<source>` stream, 'any'), or the
 * same signal twice (same id, same stream, same event id). Items of one stream go together, in
 * request order; a repeated event id is not appended again and is answered as a duplicate, as
 * the one-append-per-item loop before answered it.
 */
export function groupByStream(planned: readonly PlannedAppend[]): GroupedAppends {
  const appends: StreamAppend[] = [];
  const entries = new Map<string, { index: number; events: StreamAppend['events'][number][]; ids: Set<string> }>();
  const entryOf: number[] = [];
  const repeated: boolean[] = [];
  for (const { streamId, event, expectedVersion } of planned) {
    let entry = entries.get(streamId);
    if (!entry) {
      entry = { index: appends.length, events: [], ids: new Set() };
      entries.set(streamId, entry);
      appends.push({ streamId, events: entry.events, expectedVersion });
    }
    const id = event.id.toLowerCase();
    entryOf.push(entry.index);
    repeated.push(entry.ids.has(id));
    if (!entry.ids.has(id)) {
      entry.ids.add(id);
      entry.events.push(event);
    }
  }
  return { appends, entryOf, repeated };
}
