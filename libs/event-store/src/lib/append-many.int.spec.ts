import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { untilBlockedOnLock } from '../int-support/wait';
import { ConcurrencyError, EventIdConflictError } from './errors';

// appendMany gives each stream what append() gives it (see append-*.int.spec.ts), for many
// streams in one transaction and a constant number of statements.
describe('appendMany: many streams in one transaction', () => {
  let s: Scratch;
  beforeAll(async () => {
    s = await createScratch({ poolSize: 12 });
  });
  afterAll(() => s.dispose());

  it('appends to every stream, chained as append() chains them, and answers in the order asked', async () => {
    const [a, b, c] = [streamName('z'), streamName('a'), streamName('m')];
    await s.store.append(c, newEvents(2), { expectedVersion: 'no_stream' });
    const appends = [
      { streamId: a, events: newEvents(3), expectedVersion: 'no_stream' as const },
      { streamId: b, events: newEvents(1), expectedVersion: 0 },
      { streamId: c, events: newEvents(2), expectedVersion: 2 },
    ];

    const results = await s.store.appendMany(appends);

    expect(results.map((r) => [r.streamId, r.nextExpectedVersion, r.appended.length, r.duplicates])).toEqual([
      [a, 3, 3, []],
      [b, 1, 1, []],
      [c, 4, 2, []],
    ]);
    for (const { streamId, events } of appends) {
      const stored = await s.store.readStream(streamId, { fromVersion: streamId === c ? 3 : 1 });
      expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
      const result = results.find((r) => r.streamId === streamId);
      expect(stored).toEqual(result?.appended.map((e) => ({ ...e, recordedAt: stored[0].recordedAt })));
    }
    expect(await s.store.verify()).toMatchObject({ ok: true });
  });

  it('continues a stream after single appends, and single appends after it, on one hash chain', async () => {
    const stream = streamName();
    await s.store.append(stream, newEvents(1), { expectedVersion: 'no_stream' });
    await s.store.appendMany([{ streamId: stream, events: newEvents(2), expectedVersion: 1 }]);
    await s.store.append(stream, newEvents(1), { expectedVersion: 3 });

    expect((await s.store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(await s.store.verify(stream)).toMatchObject({ ok: true, eventsChecked: 4 });
  });

  it('stores a retried call once and reports the duplicates per stream, without a conflict for stale expected versions', async () => {
    const [one, two] = [streamName(), streamName()];
    const appends = [
      { streamId: one, events: newEvents(2), expectedVersion: 'no_stream' as const },
      { streamId: two, events: newEvents(1), expectedVersion: 'no_stream' as const },
    ];
    await s.store.appendMany(appends);

    const retry = await s.store.appendMany(appends);

    expect(retry).toEqual([
      { streamId: one, nextExpectedVersion: 2, appended: [], duplicates: appends[0].events.map((e) => e.id) },
      { streamId: two, nextExpectedVersion: 1, appended: [], duplicates: appends[1].events.map((e) => e.id) },
    ]);
    expect(await s.store.readStream(one)).toHaveLength(2);
  });

  it("stores only the new events of a partly stored stream, and an 'any' retry without a second copy", async () => {
    const [partly, any] = [streamName(), streamName()];
    const [a, b, c] = newEvents(3);
    const samples = newEvents(2);
    await s.store.append(partly, [a, b], { expectedVersion: 'no_stream' });
    await s.store.append(any, samples, { expectedVersion: 'any' });
    const [more] = newEvents(1);

    const [first, second] = await s.store.appendMany([
      { streamId: partly, events: [a, b, c], expectedVersion: 'no_stream' },
      { streamId: any, events: [...samples, more], expectedVersion: 'any' },
    ]);

    expect([first.duplicates, first.appended.map((e) => [e.id, e.streamVersion])]).toEqual([[a.id, b.id], [[c.id, 3]]]);
    expect([second.duplicates, second.appended.map((e) => [e.id, e.streamVersion])]).toEqual([samples.map((e) => e.id), [[more.id, 3]]]);
    expect(await s.store.verify(any)).toMatchObject({ ok: true, eventsChecked: 3 });
  });

  it('stores nothing at all when one stream moved on, and says which with ConcurrencyError', async () => {
    const [fine, moved] = [streamName(), streamName()];
    await s.store.append(moved, newEvents(2), { expectedVersion: 'no_stream' });

    const error = await s.store
      .appendMany([
        { streamId: fine, events: newEvents(1), expectedVersion: 'no_stream' },
        { streamId: moved, events: newEvents(1), expectedVersion: 1 },
      ])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId: moved, expected: 1, actual: 2 });
    expect(await s.store.readStream(fine)).toEqual([]);
  });

  it('refuses an id already stored in another stream, storing nothing', async () => {
    const [event] = newEvents(1);
    const [first, other, innocent] = [streamName(), streamName(), streamName()];
    await s.store.append(first, [event], { expectedVersion: 'no_stream' });

    const error = await s.store
      .appendMany([
        { streamId: innocent, events: newEvents(1), expectedVersion: 'no_stream' },
        { streamId: other, events: [event], expectedVersion: 'any' },
      ])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventIdConflictError);
    expect(error).toMatchObject({ eventId: event.id, storedInStreamId: first });
    expect(await s.store.readStream(innocent)).toEqual([]);
  });

  it('refuses a stream named twice and an invalid event before touching the database', async () => {
    const stream = streamName();
    await expect(
      s.store.appendMany([
        { streamId: stream, events: newEvents(1), expectedVersion: 'any' },
        { streamId: stream, events: newEvents(1), expectedVersion: 'any' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    await expect(
      s.store.appendMany([
        { streamId: stream, events: newEvents(1), expectedVersion: 'any' },
        { streamId: streamName(), events: newEvents(1, { payload: { rate: Number.NaN } }), expectedVersion: 'any' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    expect(await s.store.readStream(stream)).toEqual([]);
  });

  it('of two calls racing to create the same new streams, one appends and the other reports duplicates', async () => {
    const appends = Array.from({ length: 20 }, () => ({ streamId: streamName(), events: newEvents(1), expectedVersion: 'no_stream' as const }));

    const results = await Promise.all([s.store.appendMany(appends), s.store.appendMany([...appends].reverse())]);

    const appended = results.map((r) => r.reduce((n, x) => n + x.appended.length, 0)).sort((x, y) => x - y);
    expect(appended).toEqual([0, 20]);
    for (const { streamId } of appends) expect(await s.store.readStream(streamId)).toHaveLength(1);
  });

  it('settles a lost race to create a stream on the next attempt: the loser waits, then reports duplicates', async () => {
    const appends = [streamName(), streamName()].map((streamId) => ({ streamId, events: newEvents(2), expectedVersion: 'no_stream' as const }));
    const held = s.dataSource.createQueryRunner();
    await held.startTransaction();
    await s.store.appendMany(appends, { manager: held.manager });

    const rival = s.store.appendMany(appends);
    await untilBlockedOnLock(s.admin, `${s.schema}".events`);
    await held.commitTransaction();
    await held.release();

    expect((await rival).map((r) => [r.appended.length, r.duplicates.length, r.nextExpectedVersion])).toEqual([
      [0, 2, 2],
      [0, 2, 2],
    ]);
  });

  it('makes a writer of a stream it locked wait, then lose with ConcurrencyError', async () => {
    const stream = streamName();
    await s.store.append(stream, newEvents(1), { expectedVersion: 'no_stream' });
    const held = s.dataSource.createQueryRunner();
    await held.startTransaction();
    await s.store.appendMany([{ streamId: stream, events: newEvents(1), expectedVersion: 1 }], { manager: held.manager });

    const rival = s.store.appendMany([{ streamId: stream, events: newEvents(1), expectedVersion: 1 }]);
    await untilBlockedOnLock(s.admin, `${s.schema}".streams`);
    await held.commitTransaction();
    await held.release();

    await expect(rival).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT', expected: 1, actual: 2 });
    expect(await s.store.verify(stream)).toMatchObject({ ok: true, eventsChecked: 2 });
  });

  it("appends every call of concurrent 'any' writers sharing streams, in any order, without a deadlock", async () => {
    const streams = Array.from({ length: 5 }, () => streamName());
    const calls = Array.from({ length: 8 }, (_, i) =>
      (i % 2 ? [...streams].reverse() : streams).map((streamId) => ({ streamId, events: newEvents(2), expectedVersion: 'any' as const })),
    );

    await Promise.all(calls.map((call) => s.store.appendMany(call)));

    for (const stream of streams) {
      const stored = await s.store.readStream(stream);
      expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect(await s.store.verify(stream)).toMatchObject({ ok: true, eventsChecked: 16 });
    }
  });

  it("joins the caller's transaction: rolled back, it leaves no event and no head; a failed call leaves the transaction usable", async () => {
    const [stream, moved] = [streamName(), streamName()];
    await s.store.append(moved, newEvents(1), { expectedVersion: 'no_stream' });
    await s.dataSource
      .transaction(async (manager) => {
        await s.store.appendMany([{ streamId: stream, events: newEvents(2), expectedVersion: 'no_stream' }], { manager });
        await expect(s.store.appendMany([{ streamId: moved, events: newEvents(1), expectedVersion: 'no_stream' }], { manager })).rejects.toBeInstanceOf(ConcurrencyError);
        const [row]: { ok: number }[] = await manager.query('SELECT 1 AS ok');
        expect(row.ok).toBe(1);
        throw new Error('the effect failed');
      })
      .catch((e: unknown) => expect((e as Error).message).toBe('the effect failed'));

    expect(await s.store.readStream(stream)).toEqual([]);
    const [again] = await s.store.appendMany([{ streamId: stream, events: newEvents(1), expectedVersion: 'no_stream' }]);
    expect(again.nextExpectedVersion).toBe(1);
  });
});
