import type { DataSource } from 'typeorm';
import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { readAllUntil } from '../int-support/wait';
import { CheckpointStore } from './checkpoint-store';
import { EventStore } from './event-store';
import { START } from './types';

// The racing writers mix two types, so a reader of one of them has the other to pass over.
const TYPES = ['Wanted', 'Other'];

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

  it('readAllOfTypes sends only the wanted types, yet its position moves past every event below the horizon', async () => {
    const stream = streamName();
    await s.store.append(stream, [...newEvents(3, { type: 'Other' }), ...newEvents(2, { type: 'Wanted' }), ...newEvents(4, { type: 'Other' })], { expectedVersion: 'any' });
    const all = await readAllUntil(s.store, START, (seen) => seen.length >= 9);

    const page = await s.store.readAllOfTypes(START, ['Wanted'], { limit: 10 });
    expect(page.events.map((e) => e.id)).toEqual(all.filter((e) => e.type === 'Wanted').map((e) => e.id));
    expect(page.events[0].payload).toEqual({ n: 0 });
    expect(page.passed).toBe(9);
    expect(page.position).toEqual({ transactionId: all[8].transactionId, globalPosition: all[8].globalPosition });
    expect(await s.store.readAllOfTypes(page.position, ['Wanted'])).toEqual({ events: [], position: page.position, passed: 0 });
  });

  it('readAllOfTypes ends a full page at its last wanted event, and passes a run of only unwanted ones with no events', async () => {
    await s.store.append(streamName(), [...newEvents(2, { type: 'Wanted' }), ...newEvents(3, { type: 'Other' }), ...newEvents(1, { type: 'Wanted' })], { expectedVersion: 'any' });
    const all = await readAllUntil(s.store, START, (seen) => seen.length >= 6);

    const full = await s.store.readAllOfTypes(START, ['Wanted'], { limit: 2 });
    expect(full.events.map((e) => e.id)).toEqual([all[0].id, all[1].id]);
    expect(full).toMatchObject({ position: { globalPosition: all[1].globalPosition }, passed: 2 });
    const rest = await s.store.readAllOfTypes(full.position, ['Wanted'], { limit: 2 });
    expect(rest.events.map((e) => e.id)).toEqual([all[5].id]);
    expect(rest).toMatchObject({ position: { globalPosition: all[5].globalPosition }, passed: 4 });

    const none = await s.store.readAllOfTypes(START, ['Missing'], { limit: 2 });
    expect(none).toEqual({ events: [], position: { transactionId: all[5].transactionId, globalPosition: all[5].globalPosition }, passed: 6 });
  });

  it('readAllOfTypes refuses an empty type list and a limit that is not a positive integer', async () => {
    await expect(s.store.readAllOfTypes(START, [])).rejects.toThrow('readAllOfTypes needs at least one event type');
    await expect(s.store.readAllOfTypes(START, ['Wanted'], { limit: 0 })).rejects.toThrow('limit must be a positive integer, got 0');
  });

  it.each<[string, readonly string[] | undefined]>([
    ['readAll', undefined],
    ['readAllOfTypes', ['Wanted']],
  ])('%s delivers every committed event it asks for exactly once, none skipped, to a reader racing 8 writers that hold transactions open, across a restart', async (_, types) => {
    const committed = new Map<string, string>();
    const writing = Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        writer(s.dataSource, s.store, w, committed),
      ),
    );
    let writersDone = false;
    void writing.then(() => (writersDone = true));
    const naive = naiveReader(s.dataSource, s.schema, () => writersDone);

    let reader = await startReader(s, types);
    const delivered: string[] = [];
    let restarted = false;
    const deadline = Date.now() + 45_000;
    const wanted = (): Set<string> =>
      new Set([...committed].filter(([, type]) => !types || types.includes(type)).map(([id]) => id));
    while (
      !(writersDone && delivered.length >= wanted().size) &&
      Date.now() < deadline
    ) {
      if (!restarted && delivered.length >= 60) {
        // Crash mid-page: the page's effect and its checkpoint roll back together...
        await reader
          .processPage({ crashBeforeCommit: true })
          .catch(() => undefined);
        await reader.dataSource.destroy();
        // ...and a new process resumes from the stored checkpoint.
        reader = await startReader(s, types);
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
    // The filtered reader really had events to pass over.
    expect(wanted().size < committed.size).toBe(types !== undefined);
    expect(new Set(delivered)).toEqual(wanted());
    const effects: { event_id: string }[] = await s.admin.query(
      `SELECT event_id FROM "${s.schema}".processed_messages WHERE consumer = 'gap-reader'`,
    );
    expect(new Set(effects.map((r) => r.event_id))).toEqual(wanted());
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
  committed: Map<string, string>,
): Promise<void> {
  for (let round = 0; round < 15; round++) {
    const stream = `gap-${w}-${round % 2}`;
    const events = newEvents(1 + (round % 3), { type: TYPES[(w + round) % TYPES.length] });
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
    for (const event of events) committed.set(event.id, event.type);
  }
}

/** A reader in its own process: own DataSource, store and checkpoint store, effect + checkpoint in one transaction. */
async function startReader(s: Scratch, types?: readonly string[]) {
  const dataSource = await s.connect('incident_app', 2);
  const store = new EventStore(dataSource);
  const checkpoints = new CheckpointStore(dataSource);
  const processPage = (
    opts: { crashBeforeCommit?: boolean } = {},
  ): Promise<string[]> =>
    dataSource.transaction(async (manager) => {
      const after = await checkpoints.load('gap-reader', manager);
      const { events, position } = types
        ? await store.readAllOfTypes(after, types, { limit: 7, manager })
        : await store.readAll(after, { limit: 7, manager });
      if (position.transactionId === after.transactionId && position.globalPosition === after.globalPosition) return [];
      const ids = events.map((e) => e.id);
      if (ids.length === 0) {
        await checkpoints.store('gap-reader', position, manager);
        return ids;
      }
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
