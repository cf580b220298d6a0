import { SIGNAL_RECEIVED } from '@incident/contracts';
import {
  aSignal,
  answerOf,
  type IngestUnderTest,
  problemOf,
  startIngest,
} from '../../testing/ingest-app';

describe('when the event log is down (real PostgreSQL behind a proxy the test cuts)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    ingest = await startIngest({
      proxied: true,
      env: {
        SIGNAL_UNAVAILABLE_RETRY_AFTER_SECONDS: '7',
        SIGNAL_COMMIT_TIMEOUT_MS: '3000',
      },
    });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it('answers 503 with Retry-After and acknowledges nothing; the retry after recovery stores the batch', async () => {
    const batch = [aSignal(), aSignal()];
    expect((await ingest.post('/v1/signals', aSignal())).status).toBe(202);
    const before = await ingest.count(SIGNAL_RECEIVED);

    await ingest.proxy?.cut();
    const res = await ingest.post('/v1/signals', batch);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await problemOf(res)).toMatchObject({ error: 'log_unavailable' });

    await ingest.proxy?.start();
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
    const retry = await ingest.post('/v1/signals', batch);
    expect(retry.status).toBe(202);
    expect(await answerOf(retry)).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it('reports the database as not ready on /readyz while it is down', async () => {
    await ingest.proxy?.cut();
    try {
      const res = await fetch(`${ingest.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        checks: { database: { ok: false } },
      });
    } finally {
      await ingest.proxy?.start();
    }
  });
});
