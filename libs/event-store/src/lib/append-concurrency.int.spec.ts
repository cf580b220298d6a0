import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { untilBlockedOnLock } from '../int-support/wait';
import { ConcurrencyError } from './errors';

describe('optimistic concurrency on append', () => {
  let s: Scratch;
  beforeAll(async () => {
    s = await createScratch({ poolSize: 12 });
  });
  afterAll(() => s.dispose());

  it('lets exactly one of two writers at the same expected version win; the other gets ConcurrencyError and overwrites nothing', async () => {
    const stream = streamName();
    const history = await s.store.append(stream, newEvents(2), {
      expectedVersion: 'no_stream',
    });
    const [winner, loser] = [newEvents(1), newEvents(1)];

    const held = s.dataSource.createQueryRunner();
    await held.startTransaction();
    await s.store.append(stream, winner, {
      expectedVersion: 2,
      manager: held.manager,
    });
    const second = s.store.append(stream, loser, { expectedVersion: 2 });
    await untilBlockedOnLock(s.admin, `${s.schema}".events`);
    await held.commitTransaction();
    await held.release();

    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({
      code: 'STREAM_VERSION_CONFLICT',
      streamId: stream,
      expected: 2,
      actual: 3,
    });
    const stored = await s.store.readStream(stream);
    expect(stored.map((e) => e.id)).toEqual([
      ...history.appended.map((e) => e.id),
      winner[0].id,
    ]);
  });

  it('of ten writers racing at the same expected version exactly one wins', async () => {
    const stream = streamName();
    await s.store.append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    const batches = Array.from({ length: 10 }, () => newEvents(2));

    const outcomes = await Promise.allSettled(
      batches.map((batch) =>
        s.store.append(stream, batch, { expectedVersion: 1 }),
      ),
    );

    const won = outcomes.flatMap((o, i) =>
      o.status === 'fulfilled' ? [i] : [],
    );
    expect(won).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected')
        expect(o.reason).toBeInstanceOf(ConcurrencyError);
    const stored = await s.store.readStream(stream);
    expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(stored.slice(1).map((e) => e.id)).toEqual(
      batches[won[0]].map((e) => e.id),
    );
  });

  it("rejects 'no_stream' once the stream exists", async () => {
    const stream = streamName();
    await s.store.append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    await expect(
      s.store.append(stream, newEvents(1), { expectedVersion: 'no_stream' }),
    ).rejects.toMatchObject({
      code: 'STREAM_VERSION_CONFLICT',
      actual: 1,
    });
  });

  it("appends every batch of concurrent 'any' writers, one after another, with contiguous versions", async () => {
    const stream = streamName();
    const batches = Array.from({ length: 8 }, () => newEvents(3));

    await Promise.all(
      batches.map((batch) =>
        s.store.append(stream, batch, { expectedVersion: 'any' }),
      ),
    );

    const stored = await s.store.readStream(stream);
    expect(stored.map((e) => e.streamVersion)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    expect(await s.store.verify(stream)).toMatchObject({
      ok: true,
      eventsChecked: 24,
    });
  });

  it('joins the caller transaction: a rolled-back transaction leaves no event and no stream head', async () => {
    const stream = streamName();
    await s.dataSource
      .transaction(async (manager) => {
        await s.store.append(stream, newEvents(2), {
          expectedVersion: 'no_stream',
          manager,
        });
        throw new Error('the effect failed');
      })
      .catch(() => undefined);

    expect(await s.store.readStream(stream)).toEqual([]);
    const appended = await s.store.append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    expect(appended.nextExpectedVersion).toBe(1);
  });

  it("keeps the caller's transaction usable after its INSERT lost a race", async () => {
    const stream = streamName();
    await s.store.append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    const held = s.dataSource.createQueryRunner();
    // REPEATABLE READ pins the head the transaction sees at 1, so its INSERT of version 2 is sure
    // to collide with the rival committed meanwhile, which exercises the savepoint.
    await held.startTransaction('REPEATABLE READ');
    await held.query('SELECT 1');
    await s.store.append(stream, newEvents(1), { expectedVersion: 1 });

    await expect(
      s.store.append(stream, newEvents(1), {
        expectedVersion: 1,
        manager: held.manager,
      }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    const [row]: { ok: number }[] = await held.query('SELECT 1 AS ok');
    expect(row.ok).toBe(1);
    await held.rollbackTransaction();
    await held.release();
  });

  it('reads back an appended event exactly as it was written and as append returned it', async () => {
    const stream = streamName();
    const [event] = newEvents(1, {
      metadata: {
        correlationId: 'c',
        traceparent: '00-abc-def-01',
        actor: 'ingest',
      },
    });
    const { appended } = await s.store.append(stream, [event], {
      expectedVersion: 'no_stream',
    });
    const [read] = await s.store.readStream(stream);
    expect(read).toEqual({ ...appended[0], recordedAt: read.recordedAt });
    expect(read.recordedAt.getTime()).toBe(appended[0].recordedAt.getTime());
    expect(read).toMatchObject({
      id: event.id,
      payload: event.payload,
      metadata: event.metadata,
      streamVersion: 1,
    });
  });
});
