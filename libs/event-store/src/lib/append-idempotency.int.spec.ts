import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { ConcurrencyError, EventIdConflictError } from './errors';

describe('idempotent append by event id', () => {
  let s: Scratch;
  beforeAll(async () => {
    s = await createScratch();
  });
  afterAll(() => s.dispose());

  it('stores a retried batch once and reports every id as a duplicate, without a conflict for its stale expected version', async () => {
    const stream = streamName();
    const batch = newEvents(3);
    await s.store.append(stream, batch, { expectedVersion: 'no_stream' });
    await s.store.append(stream, newEvents(1), { expectedVersion: 3 });

    const retry = await s.store.append(stream, batch, {
      expectedVersion: 'no_stream',
    });

    expect(retry).toEqual({
      streamId: stream,
      nextExpectedVersion: 4,
      appended: [],
      duplicates: batch.map((e) => e.id),
    });
    expect(await s.store.readStream(stream)).toHaveLength(4);
  });

  it('recognises a stored id whatever its letter case', async () => {
    const stream = streamName();
    const [event] = newEvents(1);
    await s.store.append(stream, [event], { expectedVersion: 'no_stream' });
    const retry = await s.store.append(
      stream,
      [{ ...event, id: event.id.toUpperCase() }],
      { expectedVersion: 0 },
    );
    expect(retry.duplicates).toEqual([event.id]);
  });

  it('stores only the new events of a batch that repeats already stored ones, right after them', async () => {
    const stream = streamName();
    const [a, b, c] = newEvents(3);
    await s.store.append(stream, [a, b], { expectedVersion: 'no_stream' });

    const result = await s.store.append(stream, [a, b, c], {
      expectedVersion: 'no_stream',
    });

    expect(result.duplicates).toEqual([a.id, b.id]);
    expect(result.appended.map((e) => [e.id, e.streamVersion])).toEqual([
      [c.id, 3],
    ]);
    expect((await s.store.readStream(stream)).map((e) => e.id)).toEqual([
      a.id,
      b.id,
      c.id,
    ]);
  });

  it('still reports a conflict when the stream moved on past the repeated events', async () => {
    const stream = streamName();
    const [a, other, c] = newEvents(3);
    await s.store.append(stream, [a], { expectedVersion: 'no_stream' });
    await s.store.append(stream, [other], { expectedVersion: 1 });

    await expect(
      s.store.append(stream, [a, c], { expectedVersion: 'no_stream' }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('stores two identical appends racing each other once: one appends, the other reports duplicates', async () => {
    const stream = streamName();
    const batch = newEvents(5);

    const results = await Promise.all([
      s.store.append(stream, batch, { expectedVersion: 'no_stream' }),
      s.store.append(stream, batch, { expectedVersion: 'no_stream' }),
    ]);

    expect(results.map((r) => r.appended.length).sort()).toEqual([0, 5]);
    expect(results.map((r) => r.duplicates.length).sort()).toEqual([0, 5]);
    expect(await s.store.readStream(stream)).toHaveLength(5);
  });

  it('refuses an id already stored in another stream: one id cannot name two facts', async () => {
    const [event] = newEvents(1);
    const first = streamName();
    await s.store.append(first, [event], { expectedVersion: 'no_stream' });

    const error = await s.store
      .append(streamName(), [event], { expectedVersion: 'any' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventIdConflictError);
    expect(error).toMatchObject({
      code: 'EVENT_ID_CONFLICT',
      eventId: event.id,
      storedInStreamId: first,
    });
  });

  it('stores nothing of a batch containing an invalid event', async () => {
    const stream = streamName();
    const batch = [
      ...newEvents(2),
      ...newEvents(1, { payload: { rate: Number.NaN } }),
    ];
    await expect(
      s.store.append(stream, batch, { expectedVersion: 'no_stream' }),
    ).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    expect(await s.store.readStream(stream)).toEqual([]);
  });
});
