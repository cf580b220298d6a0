import { randomUUID } from 'node:crypto';
import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';
import { eventHash } from './hash-chain';

describe('verify finds events changed, removed or inserted behind the log', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await createScratch();
  });
  afterEach(() => s.dispose());

  it('passes an untouched log, counting its streams and events', async () => {
    await appendStream(3);
    await appendStream(2);
    expect(await s.store.verify()).toEqual({
      ok: true,
      streamsChecked: 2,
      eventsChecked: 5,
    });
  });

  it('passes chains longer than one verification page', async () => {
    const stream = await appendStream(6000);
    await appendStream(5500);
    expect(await s.store.verify()).toEqual({
      ok: true,
      streamsChecked: 2,
      eventsChecked: 11500,
    });
    expect(await s.store.verify(stream)).toEqual({
      ok: true,
      streamsChecked: 1,
      eventsChecked: 6000,
    });
  });

  it('names the stream and version of an event whose payload was changed', async () => {
    await appendStream(3);
    const stream = await appendStream(4);
    await behindTheLogsBack(
      `UPDATE ${events()} SET payload = payload || '{"level":"INFO"}' WHERE stream_id = $1 AND stream_version = 3`,
      [stream],
    );

    expect(await s.store.verify()).toMatchObject({
      ok: false,
      streamId: stream,
      streamVersion: 3,
    });
    expect(await s.store.verify(stream)).toMatchObject({
      ok: false,
      streamVersion: 3,
      reason: expect.stringContaining('differs'),
    });
  });

  it('names the stream and version of a deleted event', async () => {
    const stream = await appendStream(4);
    await behindTheLogsBack(
      `DELETE FROM ${events()} WHERE stream_id = $1 AND stream_version = 2`,
      [stream],
    );

    expect(await s.store.verify()).toMatchObject({
      ok: false,
      streamId: stream,
      streamVersion: 2,
      reason: expect.stringContaining('missing'),
    });
  });

  it('notices that the last events of a stream were deleted, which a hash chain alone cannot', async () => {
    const stream = await appendStream(4);
    await behindTheLogsBack(
      `DELETE FROM ${events()} WHERE stream_id = $1 AND stream_version >= 3`,
      [stream],
    );

    expect(await s.store.verify()).toMatchObject({
      ok: false,
      streamId: stream,
      streamVersion: 3,
      reason: expect.stringContaining('missing'),
    });
  });

  it('names the stream and version of an inserted event, even one whose hash was forged to fit the chain', async () => {
    const stream = await appendStream(2);
    const [last] = await s.store.readStream(stream, { fromVersion: 2 });
    const forged = {
      ...newEvents(1)[0],
      streamId: stream,
      streamVersion: 3,
      metadata: {},
    };
    await s.admin.query(
      `INSERT INTO ${events()} (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
       VALUES ($1, $2, 3, $3, 1, $4, $5, '{}', $6, $7)`,
      [
        forged.id,
        stream,
        forged.type,
        forged.occurredAt,
        forged.payload,
        last.hash,
        eventHash(last.hash, forged),
      ],
    );

    expect(await s.store.verify()).toMatchObject({
      ok: false,
      streamId: stream,
      streamVersion: 3,
      reason: expect.stringContaining('not appended through the log'),
    });
  });

  it('flags an inserted event with a made-up hash, and a whole stream inserted without a head', async () => {
    const stream = await appendStream(2);
    await s.admin.query(
      `INSERT INTO ${events()} (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, prev_hash, hash)
       VALUES ($1, $2, 3, 'SignalReceived', 1, now(), '{}', repeat('0', 64), repeat('a', 64))`,
      [randomUUID(), stream],
    );
    expect(await s.store.verify(stream)).toMatchObject({
      ok: false,
      streamVersion: 3,
    });

    const planted = `zz-${streamName()}`;
    await s.admin.query(
      `INSERT INTO ${events()} (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, prev_hash, hash)
       VALUES ($1, $2, 1, 'SignalReceived', 1, now(), '{}', repeat('0', 64), repeat('a', 64))`,
      [randomUUID(), planted],
    );
    expect(await s.store.verify(planted)).toMatchObject({
      ok: false,
      streamId: planted,
      streamVersion: 1,
    });
  });

  it('checks only the stream asked for', async () => {
    const tampered = await appendStream(2);
    const intact = await appendStream(2);
    await behindTheLogsBack(
      `UPDATE ${events()} SET type = 'Forged' WHERE stream_id = $1 AND stream_version = 1`,
      [tampered],
    );

    expect(await s.store.verify(intact)).toEqual({
      ok: true,
      streamsChecked: 1,
      eventsChecked: 2,
    });
    expect(await s.store.verify(tampered)).toMatchObject({
      ok: false,
      streamId: tampered,
      streamVersion: 1,
    });
  });

  const events = () => `"${s.schema}".events`;

  async function appendStream(count: number): Promise<string> {
    const stream = streamName();
    await s.store.append(stream, newEvents(count), {
      expectedVersion: 'no_stream',
    });
    return stream;
  }

  /** What an operator with the owner's or a superuser's rights could do: switch the guard off, change, switch it back. */
  async function behindTheLogsBack(
    sql: string,
    params: unknown[],
  ): Promise<void> {
    await s.admin.transaction(async (m) => {
      await m.query(
        `ALTER TABLE ${events()} DISABLE TRIGGER events_no_update_delete`,
      );
      await m.query(sql, params);
      await m.query(
        `ALTER TABLE ${events()} ENABLE ALWAYS TRIGGER events_no_update_delete`,
      );
    });
  }
});
