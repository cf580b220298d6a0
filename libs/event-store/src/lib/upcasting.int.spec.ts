import { newEvent, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { readAllUntil } from '../int-support/wait';
import { EventStore } from './event-store';
import { START, type StoredEvent } from './types';
import { UpcasterRegistry } from './upcasters';

describe('reading old event versions through upcasters', () => {
  let s: Scratch;
  // v1 had one `service`; v2 lists `services` and names the field `summary`.
  const upcasters = new UpcasterRegistry().register(
    'IncidentOpened',
    1,
    (p) => ({
      summary: p['title'],
      services: [p['service']],
    }),
  );
  beforeAll(async () => {
    s = await createScratch({ upcasters });
  });
  afterAll(() => s.dispose());

  it('reads a log holding v1 and v2 of an event as v2 on every read path, without rewriting the v1 row', async () => {
    const stream = streamName();
    const v1 = newEvent({
      type: 'IncidentOpened',
      schemaVersion: 1,
      payload: { title: 'checkout down', service: 'checkout' },
    });
    const v2 = newEvent({
      type: 'IncidentOpened',
      schemaVersion: 2,
      payload: { summary: 'search slow', services: ['search'] },
    });
    await s.store.append(stream, [v1, v2], { expectedVersion: 'no_stream' });

    const expected = [
      {
        id: v1.id,
        schemaVersion: 2,
        payload: { summary: 'checkout down', services: ['checkout'] },
      },
      {
        id: v2.id,
        schemaVersion: 2,
        payload: { summary: 'search slow', services: ['search'] },
      },
    ];
    expect(await s.store.readStream(stream)).toMatchObject(expected);
    const mine = (events: StoredEvent[]) =>
      events.filter((e) => e.streamId === stream);
    const followed = await readAllUntil(
      s.store,
      START,
      (events) => mine(events).length === 2,
    );
    expect(mine(followed)).toMatchObject(expected);

    const rows: { schema_version: number; payload: unknown }[] =
      await s.admin.query(
        `SELECT schema_version, payload FROM "${s.schema}".events WHERE stream_id = $1 ORDER BY stream_version`,
        [stream],
      );
    expect(rows[0]).toEqual({ schema_version: 1, payload: v1.payload });
    expect(await s.store.verify(stream)).toMatchObject({ ok: true });
  });

  it('shows the stored version to a store without upcasters', async () => {
    const stream = streamName();
    await s.store.append(
      stream,
      [
        newEvent({
          type: 'IncidentOpened',
          payload: { title: 't', service: 'x' },
        }),
      ],
      {
        expectedVersion: 'no_stream',
      },
    );
    const [raw] = await new EventStore(s.dataSource).readStream(stream);
    expect(raw).toMatchObject({
      schemaVersion: 1,
      payload: { title: 't', service: 'x' },
    });
  });
});
