import { performance } from 'node:perf_hooks';
import { SIGNAL_RECEIVED, Streams } from '@incident/contracts';
import {
  aSignal,
  answerOf,
  type IngestUnderTest,
  problemOf,
  startIngest,
} from '../../testing/ingest-app';
import { uniqueName } from '../../testing/infra';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('POST /v1/signals (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    ingest = await startIngest();
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it('stores a 1,000-signal batch in one commit and answers 202 with every signal id', async () => {
    const batch = Array.from({ length: 1_000 }, () =>
      aSignal({ source: uniqueName('bulk') }),
    );
    const before = await ingest.count(SIGNAL_RECEIVED);
    const started = performance.now();
    const res = await ingest.post('/v1/signals', batch);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `\n  1,000-signal batch: 202 after ${ms} ms (append + commit of 1,000 SignalReceived)\n`,
    );
    expect(res.status).toBe(202);
    const body = await answerOf(res);
    expect(body).toMatchObject({ accepted: 1_000, duplicates: 0 });
    expect(body.signals.map((s) => s.signalId)).toEqual(
      batch.map((s) => s['id']),
    );
    expect((await ingest.count(SIGNAL_RECEIVED)) - before).toBe(1_000);
  });

  it('stores nothing new when the same batch is sent again, and says each one is a duplicate', async () => {
    const batch = [aSignal(), aSignal(), aSignal()];
    expect((await ingest.post('/v1/signals', batch)).status).toBe(202);
    const before = await ingest.count(SIGNAL_RECEIVED);
    const res = await ingest.post('/v1/signals', batch);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 0,
      duplicates: 3,
      signals: batch.map((s) => ({ signalId: s['id'], duplicate: true })),
    });
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
  });

  it('stores a signal repeated within one request once, next to new and already stored ones, and answers each', async () => {
    const [stored, fresh] = [aSignal(), aSignal()];
    expect((await ingest.post('/v1/signals', [stored])).status).toBe(202);
    const before = await ingest.count(SIGNAL_RECEIVED);
    const res = await ingest.post('/v1/signals', [fresh, stored, fresh]);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicates: 2,
      signals: [
        { signalId: fresh['id'], duplicate: false },
        { signalId: stored['id'], duplicate: true },
        { signalId: fresh['id'], duplicate: true },
      ],
    });
    expect((await ingest.count(SIGNAL_RECEIVED)) - before).toBe(1);
  });

  it('stores nothing of a batch with one bad item, and the 400 names its index and field', async () => {
    const before = await ingest.count(SIGNAL_RECEIVED);
    const res = await ingest.post('/v1/signals', [
      aSignal(),
      aSignal({ level: 'LOUD' }),
      aSignal({ message: undefined }),
    ]);
    expect(res.status).toBe(400);
    const body = await problemOf(res);
    expect(body.error).toBe('invalid_signals');
    expect(body.issues?.map((i) => i.at)).toEqual(['[1].level', '[2].message']);
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
  });

  it('refuses a batch of more than 1,000 signals', async () => {
    const res = await ingest.post(
      '/v1/signals',
      Array.from({ length: 1_001 }, () => ({ source: 'a', message: 'b' })),
    );
    expect(res.status).toBe(400);
  });

  it('identifies a signal without an id by its content, so an identical resend is stored once', async () => {
    const signal = {
      source: uniqueName('anon'),
      message: 'Connection refused',
      errorCode: 'ECONNREFUSED',
    };
    const first = await answerOf(await ingest.post('/v1/signals', signal));
    const again = await answerOf(
      await ingest.post('/v1/signals', {
        errorCode: 'ECONNREFUSED',
        message: 'Connection refused',
        source: signal.source,
      }),
    );
    expect(first.signals[0]).toEqual({
      signalId: expect.stringMatching(/^[0-9a-f]{64}$/),
      duplicate: false,
    });
    expect(again.signals[0]).toEqual({
      signalId: first.signals[0].signalId,
      duplicate: true,
    });
  });

  it("records the key's name as actor, the request id as correlation id, and the caller's traceparent", async () => {
    const signal = aSignal({ timestamp: '2026-01-01T10:00:00.000Z' });
    const res = await ingest.post('/v1/signals', signal, {
      headers: { traceparent: TRACEPARENT, 'x-request-id': 'req-abcdef-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('req-abcdef-123');
    const [event] = await ingest.scratch.store.readStream(
      Streams.signal(String(signal['id'])),
    );
    expect(event).toMatchObject({
      type: SIGNAL_RECEIVED,
      schemaVersion: 2,
      occurredAt: new Date('2026-01-01T10:00:00.000Z'),
      payload: { signalId: signal['id'], channel: 'http-json', signal },
      metadata: {
        actor: 'publisher',
        correlationId: 'req-abcdef-123',
        traceparent: TRACEPARENT,
      },
    });
  });
});
