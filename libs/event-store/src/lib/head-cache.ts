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

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): KnownHead | undefined {
    return this.heads.get(streamId);
  }

  set(streamId: string, head: KnownHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }
}
