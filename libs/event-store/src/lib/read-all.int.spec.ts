import type { DataSource } from 'typeorm';
import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { readAllUntil } from '../int-support/wait';
import { CheckpointStore } from './checkpoint-store';
import { EventStore } from './event-store';
import { START } from './types';

// Each rule in its own scratch schema: what one test appends must not turn up in the other's reader.
describe('following the whole log with readAll', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await createScratch({ poolSize: 12 });
  });
  afterEach(() => s.dispose());

  it('holds back an event committed ahead of an older, still open transaction, then delivers both in order', async () => {
    const held = s.dataSource.createQueryRunner();
    await held.startTransaction();
    const early = await s.store.append(streamName(), newEvents(1), {
      expectedVersion: 'any',
      manager: held.manager,
    });
    const late = await s.store.append(streamName(), newEvents(1), {
      expectedVersion: 'any',
    });
    const [earlyPos, latePos] = [
      early.appended[0].globalPosition,
      late.appended[0].globalPosition,
    ];
    expect(BigInt(latePos)).toBeGreaterThan(BigInt(earlyPos));

    // The trap: by position alone, `late` is readable and a reader would move past `early` for good.
    const byPosition: { global_position: string }[] = await s.dataSource.query(
      `SELECT global_position FROM "${s.schema}".events ORDER BY global_position`,
    );
    expect(byPosition.map((r) => r.global_position)).toEqual([latePos]);
    expect((await s.store.readAll(START)).events).toEqual([]);

    await held.commitTransaction();
    await held.release();
    const events = await readAllUntil(
      s.store,
      START,
      (seen) => seen.length >= 2,
    );
    expect(events.map((e) => e.globalPosition)).toEqual([earlyPos, latePos]);
  });

  it('delivers every committed event exactly once, none skipped, to a reader racing 8 writers that hold transactions open, across a restart', async () => {
    const committed = new Set<string>();
    const writing = Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        writer(s.dataSource, s.store, w, committed),
      ),
    );
    let writersDone = false;
    void writing.then(() => (writersDone = true));
    const naive = naiveReader(s.dataSource, s.schema, () => writersDone);

    let reader = await startReader(s);
    const delivered: string[] = [];
    let restarted = false;
    const deadline = Date.now() + 45_000;
    while (
      !(writersDone && delivered.length >= committed.size) &&
      Date.now() < deadline
    ) {
      if (!restarted && delivered.length >= 60) {
        // Crash mid-page: the page's effect and its checkpoint roll back together...
        await reader
          .processPage({ crashBeforeCommit: true })
          .catch(() => undefined);
        await reader.dataSource.destroy();
        // ...and a new process resumes from the stored checkpoint.
        reader = await startReader(s);
        restarted = true;
      }
      const ids = await reader.processPage();
      delivered.push(...ids);
      if (ids.length === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await writing;

    expect(restarted).toBe(true);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(new Set(delivered)).toEqual(committed);
    const effects: { event_id: string }[] = await s.admin.query(
      `SELECT event_id FROM "${s.schema}".processed_messages WHERE consumer = 'gap-reader'`,
    );
    expect(new Set(effects.map((r) => r.event_id))).toEqual(committed);
    // The scenario really did commit events out of position order: polling by position lost some.
    expect((await naive).missed).toBeGreaterThan(0);
    await reader.dataSource.destroy();
  });
});

/** Appends for a while, sometimes holding its transaction open, sometimes rolling it back. */
async function writer(
  dataSource: DataSource,
  store: EventStore,
  w: number,
  committed: Set<string>,
): Promise<void> {
  for (let round = 0; round < 15; round++) {
    const stream = `gap-${w}-${round % 2}`;
    const events = newEvents(1 + (round % 3));
    const mode = (w + round) % 3;
    if (mode === 0) {
      await store.append(stream, events, { expectedVersion: 'any' });
    } else {
      const outcome = dataSource.transaction(async (manager) => {
        await store.append(stream, events, { expectedVersion: 'any', manager });
        await manager.query('SELECT pg_sleep($1)', [
          0.005 + Math.random() * 0.04,
        ]);
        if (round % 5 === 4) throw new Error('rolled back on purpose');
      });
      if (!(await outcome.then(() => true).catch(() => false))) continue;
    }
    for (const event of events) committed.add(event.id);
  }
}

/** A reader in its own process: own DataSource, store and checkpoint store, effect + checkpoint in one transaction. */
async function startReader(s: Scratch) {
  const dataSource = await s.connect('incident_app', 2);
  const store = new EventStore(dataSource);
  const checkpoints = new CheckpointStore(dataSource);
  const processPage = (
    opts: { crashBeforeCommit?: boolean } = {},
  ): Promise<string[]> =>
    dataSource.transaction(async (manager) => {
      const after = await checkpoints.load('gap-reader', manager);
      const { events, position } = await store.readAll(after, {
        limit: 7,
        manager,
      });
      if (events.length === 0) return [];
      const ids = events.map((e) => e.id);
      // The primary key (consumer, event_id) would fail the page if an event came twice.
      await manager.query(
        `INSERT INTO "${s.schema}".processed_messages (consumer, event_id) SELECT 'gap-reader', unnest($1::uuid[])`,
        [ids],
      );
      await checkpoints.store('gap-reader', position, manager);
      if (opts.crashBeforeCommit) throw new Error('crashed before commit');
      return ids;
    });
  return { dataSource, processPage };
}

/** What a reader resuming by global_position alone would see: it counts the positions it jumped over for good. */
async function naiveReader(
  dataSource: DataSource,
  schema: string,
  done: () => boolean,
) {
  const seen = new Set<string>();
  let last = 0n;
  for (let finalPass = false; !finalPass; ) {
    finalPass = done();
    const rows: { global_position: string }[] = await dataSource.query(
      `SELECT global_position FROM "${schema}".events WHERE global_position > $1 ORDER BY global_position`,
      [last.toString()],
    );
    for (const row of rows) seen.add(row.global_position);
    if (rows.length > 0) last = BigInt(rows[rows.length - 1].global_position);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const all: { n: number }[] = await dataSource.query(
    `SELECT count(*)::int AS n FROM "${schema}".events`,
  );
  return { missed: all[0].n - seen.size };
}
