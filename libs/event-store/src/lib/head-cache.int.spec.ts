import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';

// A store remembers the heads it wrote or read to save a round trip; these are the cases where
// that memory is wrong, and the INSERT itself has to notice.
describe('appending on a remembered stream head', () => {
  let s: Scratch;
  beforeAll(async () => {
    s = await createScratch();
  });
  afterAll(() => s.dispose());

  it('does not chain onto a head remembered from a transaction that rolled back', async () => {
    const stream = streamName();
    await s.store.append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    const held = s.dataSource.createQueryRunner();
    await held.startTransaction();
    await s.store.append(stream, newEvents(1), {
      expectedVersion: 1,
      manager: held.manager,
    });
    await held.rollbackTransaction();
    await held.release();

    // The store last saw version 2, which never committed.
    await expect(
      s.store.append(stream, newEvents(1), { expectedVersion: 2 }),
    ).rejects.toMatchObject({
      code: 'STREAM_VERSION_CONFLICT',
      actual: 1,
    });
    const appended = await s.store.append(stream, newEvents(1), {
      expectedVersion: 'any',
    });
    expect(appended.nextExpectedVersion).toBe(2);
    expect(await s.store.verify(stream)).toMatchObject({
      ok: true,
      eventsChecked: 2,
    });
  });

  it('does not chain onto a head another store instance has since moved', async () => {
    const stream = streamName();
    const other = new EventStore(s.dataSource);
    await s.store.append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    await other.append(stream, newEvents(1), { expectedVersion: 1 });

    await expect(
      s.store.append(stream, newEvents(1), { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await s.store.append(stream, newEvents(2), { expectedVersion: 'any' });

    const stored = await s.store.readStream(stream);
    expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(await s.store.verify(stream)).toMatchObject({
      ok: true,
      eventsChecked: 4,
    });
  });

  it('creates a stream in one statement, and still refuses a second creation', async () => {
    const stream = streamName();
    await new EventStore(s.dataSource).append(stream, newEvents(1), {
      expectedVersion: 'no_stream',
    });
    await expect(
      s.store.append(stream, newEvents(1), { expectedVersion: 'no_stream' }),
    ).rejects.toMatchObject({
      code: 'STREAM_VERSION_CONFLICT',
      actual: 1,
    });
  });
});
