import { EventStore, type LogPosition, START } from '../../libs/event-store/src';
import type { DataSource } from 'typeorm';

/**
 * The signal ids counted on incidents so far (SignalAttached events), followed through the log
 * the way the relay follows it (EventStore.readAllOfTypes: the xid8 horizon, so a late commit is
 * never skipped). Each poll reads only what was appended since the last one: counting must not
 * compete for the machine with the pipeline it measures (a count over the whole log every half
 * second did, the more so the longer the run).
 */
export class AttachedSignals {
  private readonly store: EventStore;
  private position: LogPosition = START;
  private readonly counted = new Set<string>();

  constructor(dataSource: DataSource, schema: string) {
    this.store = new EventStore(dataSource, { schema });
  }

  /** Reads what was appended since the last call; returns how many of `signalIds` are counted. */
  async countOf(signalIds: Iterable<string>): Promise<number> {
    for (;;) {
      const page = await this.store.readAllOfTypes(this.position, ['SignalAttached'], { limit: 5_000 });
      for (const event of page.events) this.counted.add((event.payload as { signalId: string }).signalId);
      if (page.passed === 0) break;
      this.position = page.position;
    }
    let n = 0;
    for (const id of signalIds) if (this.counted.has(id)) n += 1;
    return n;
  }
}
