import { SIGNAL_RECEIVED } from '@incident/contracts';
import {
  aSignal,
  type IngestUnderTest,
  problemOf,
  READER_KEY,
  startIngest,
} from '../../testing/ingest-app';

const ENDPOINTS = [
  ['/v1/signals', 'application/json', JSON.stringify(aSignal())],
  [
    '/v1/signals/logs?source=checkout',
    'text/plain',
    '[2026-01-01T00:00:00Z] [ERROR] [api] boom\n',
  ],
  ['/v1/signals/alertmanager', 'application/json', '{}'],
  ['/v1/traffic', 'application/json', '{}'],
] as const;

describe('signal intake over HTTP: credentials, content types and sizes (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    ingest = await startIngest();
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it.each(ENDPOINTS)(
    'answers 401 without an API key on %s',
    async (path, contentType, body) => {
      const res = await ingest.post(path, body, { contentType, key: null });
      expect(res.status).toBe(401);
      expect(await problemOf(res)).toMatchObject({ error: 'unauthorized' });
    },
  );

  it.each(ENDPOINTS)(
    'answers 401 for an unknown API key on %s',
    async (path, contentType, body) => {
      expect(
        (
          await ingest.post(path, body, {
            contentType,
            key: 'ik_not_a_configured_key_at_all',
          })
        ).status,
      ).toBe(401);
    },
  );

  it.each(ENDPOINTS)(
    'answers 403 to a key without the signals:write scope on %s',
    async (path, contentType, body) => {
      const res = await ingest.post(path, body, {
        contentType,
        key: READER_KEY,
      });
      expect(res.status).toBe(403);
      expect((await problemOf(res)).message).toMatch(
        /lacks the scope "signals:write"/,
      );
    },
  );

  it.each([
    ['/v1/signals', 'text/plain'],
    ['/v1/signals/alertmanager', 'application/x-www-form-urlencoded'],
    ['/v1/traffic', 'text/plain'],
    ['/v1/signals/logs', 'application/json'],
  ])('answers 415 on %s for Content-Type %s', async (path, contentType) => {
    const before = await ingest.count(SIGNAL_RECEIVED);
    const res = await ingest.post(path, '{"source":"a","message":"b"}', {
      contentType,
    });
    expect(res.status).toBe(415);
    expect(await problemOf(res)).toMatchObject({
      error: 'unsupported_media_type',
    });
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
  });

  it('answers 415 when the Content-Type is missing', async () => {
    const res = await fetch(`${ingest.url}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${'ik_test_writer_0123456789abcdef'}` },
      body: new Uint8Array(Buffer.from('{"source":"a","message":"b"}')),
    });
    expect(res.status).toBe(415);
  });

  it.each([
    [
      '/v1/signals',
      'application/json',
      () =>
        JSON.stringify(
          [aSignal({ message: 'x'.repeat(8_000) })].concat(
            Array.from({ length: 140 }, () =>
              aSignal({ message: 'x'.repeat(8_000) }),
            ),
          ),
        ),
    ],
    [
      '/v1/signals/logs?source=checkout',
      'text/plain',
      () => `[2026-01-01T00:00:00Z] [ERROR] [api] ${'x'.repeat(1_100_000)}\n`,
    ],
  ])(
    'answers 413 on %s for a body over 1 MiB, and stores nothing',
    async (path, contentType, body) => {
      const before = await ingest.count(SIGNAL_RECEIVED);
      const text = body();
      expect(Buffer.byteLength(text)).toBeGreaterThan(1_048_576);
      const res = await ingest.post(path, text, { contentType });
      // The runtime's body parser refuses it, answered in the API's error shape.
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: 'payload_too_large', message: expect.stringMatching(/is over the 1048576-byte limit$/) });
      expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
    },
  );

  it('answers 400 for a body that is not JSON, saying so in the API\'s error shape', async () => {
    const res = await ingest.post('/v1/signals', '{"source": ', {
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_request', message: expect.stringMatching(/^the request body is not valid JSON: /) });
  });
});
