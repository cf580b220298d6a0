import type { EventStore, StreamAppend } from '@incident/event-store';
import type { ReplayAppend } from './replayer';

const FLUSH_EVERY = 2_000;

/**
 * Collects the replay's appends and writes them with one appendMany per few thousand events
 * instead of a round trip each. appendMany takes every stream once, so later appends to a stream
 * already pending join its entry (their expected version was the pending one's end, which the
 * entry's own expected version and length imply); the expected versions are still checked.
 */
export class ScratchWriter {
  private pending = new Map<string, StreamAppend & { events: ReplayAppend['events'] }>();
  private size = 0;
  written = 0;

  constructor(private readonly store: EventStore) {}

  async add(append: ReplayAppend): Promise<void> {
    const entry = this.pending.get(append.streamId);
    if (entry) entry.events.push(...append.events);
    else this.pending.set(append.streamId, { streamId: append.streamId, expectedVersion: append.expectedVersion, events: [...append.events] });
    this.size += append.events.length;
    if (this.size >= FLUSH_EVERY) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    await this.store.appendMany([...this.pending.values()]);
    this.written += this.size;
    this.pending = new Map();
    this.size = 0;
  }
}
