import { SIGNAL_RECEIVED } from '@incident/contracts';
import {
  aSignal,
  answerOf,
  type IngestUnderTest,
  problemOf,
  startIngest,
} from '../../testing/ingest-app';
import { uniqueName } from '../../testing/infra';

describe('rate limit per source (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    // 1 signal/s sustained, bursts of 5: small enough to cross in a test without sleeping.
    ingest = await startIngest({
      env: { SIGNAL_RATE_PER_SECOND: '1', SIGNAL_RATE_BURST: '5' },
    });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it('answers 429 with Retry-After once a source has sent its burst, and stores nothing of that request', async () => {
    const source = uniqueName('noisy');
    const first = await ingest.post(
      '/v1/signals',
      Array.from({ length: 5 }, () => aSignal({ source })),
    );
    expect(first.status).toBe(202);
    const before = await ingest.count(SIGNAL_RECEIVED);

    const res = await ingest.post('/v1/signals', [
      aSignal({ source }),
      aSignal({ source }),
    ]);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await problemOf(res)).toMatchObject({
      error: 'rate_limited',
      retryAfterSeconds: retryAfter,
      message: expect.stringContaining(source),
    });
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
  });

  it('counts signals, not requests: one request of more signals than the source has left is refused', async () => {
    const source = uniqueName('batchy');
    expect(
      (
        await ingest.post(
          '/v1/signals',
          Array.from({ length: 3 }, () => aSignal({ source })),
        )
      ).status,
    ).toBe(202);
    expect(
      (
        await ingest.post(
          '/v1/signals',
          Array.from({ length: 3 }, () => aSignal({ source })),
        )
      ).status,
    ).toBe(429);
  });

  it('keeps accepting other sources while one is limited', async () => {
    const noisy = uniqueName('noisy');
    await ingest.post(
      '/v1/signals',
      Array.from({ length: 5 }, () => aSignal({ source: noisy })),
    );
    expect(
      (await ingest.post('/v1/signals', aSignal({ source: noisy }))).status,
    ).toBe(429);
    const res = await ingest.post(
      '/v1/signals',
      aSignal({ source: uniqueName('quiet') }),
    );
    expect(res.status).toBe(202);
    expect((await answerOf(res)).accepted).toBe(1);
  });
});
