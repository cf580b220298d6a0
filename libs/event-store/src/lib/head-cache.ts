/** A stream head as last seen: its version and the hash of its last event. */
export interface KnownHead {
  version: number;
  hash: string;
}

/**
 * The heads this store last wrote or read in full, so that the usual append (decide on what was
 * just read, append at that version) needs one round trip instead of two. Only ever a guess: the
 * INSERT checks it against the streams table in the same statement and stores nothing when it is
 * stale (say, written by a transaction that then rolled back), and append then reads the head.
 * Bounded, least recently used first out.
 */
export class HeadCache {
  private readonly heads = new Map<string, KnownHead>();
  private readonly slack: number;

  constructor(private readonly capacity = 10_000) {
    this.slack = Math.floor(capacity / 16);
  }

  get(streamId: string): KnownHead | undefined {
    return this.heads.get(streamId);
  }

  set(streamId: string, head: KnownHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.evict();
  }

  /**
   * Down to capacity minus a sixteenth, in one pass. A Map keeps deleted entries as holes until it
   * rehashes, and keys() walks over every hole at the front: evicting one key per insert made each
   * insert walk thousands of holes (1.5 s of ingest's CPU in a bench run, where every signal is a
   * new stream). One pass per capacity/16 inserts walks them once.
   */
  private evict(): void {
    let excess = this.heads.size - (this.capacity - this.slack);
    for (const streamId of this.heads.keys()) {
      if (excess-- <= 0) break;
      this.heads.delete(streamId);
    }
  }
}
