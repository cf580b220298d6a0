import { SIGNAL_RECEIVED, Streams } from '@incident/contracts';
import {
  answerOf,
  type IngestUnderTest,
  problemOf,
  startIngest,
} from '../../testing/ingest-app';
import { uniqueName } from '../../testing/infra';

describe('POST /v1/signals/logs (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    ingest = await startIngest();
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it('stores every entry of a playbook-format body as a signal of the ?source= service', async () => {
    const id = uniqueName('log');
    const body = [
      '[2025-12-24T14:35:22.123Z] [ERROR] [agent:code-review] Rate limit exceeded',
      `  id: ${id}`,
      '  userId: user-456',
      '  errorCode: 429',
      '  stack: Error: Rate limit exceeded',
      '      at callClaude (/app/src/api.ts:45:11)',
      '[2025-12-24T14:35:23.000Z] [WARN] [agent:code-review] Retrying after 2s',
      '',
    ].join('\n');
    const res = await ingest.post(`/v1/signals/logs?source=review-bot`, body, {
      contentType: 'text/plain; charset=utf-8',
    });
    expect(res.status).toBe(202);
    const answer = await answerOf(res);
    expect(answer).toMatchObject({ accepted: 2, duplicates: 0 });
    const [event] = await ingest.scratch.store.readStream(Streams.signal(id));
    expect(event.payload).toMatchObject({
      signalId: id,
      channel: 'http-log',
      signal: {
        source: 'review-bot',
        component: 'agent:code-review',
        level: 'ERROR',
        errorCode: 429,
      },
      userRef: expect.stringMatching(/^usr_[0-9a-f]{32}$/),
    });
    expect(JSON.stringify(event.payload)).not.toContain('user-456');
  });

  it('answers 400 naming the line of an entry that has no source, and stores nothing', async () => {
    const before = await ingest.count(SIGNAL_RECEIVED);
    const body =
      '[2026-01-01T00:00:00Z] [ERROR] [api] boom\n  source: billing\n[2026-01-01T00:00:01Z] [ERROR] [api] again\n';
    const res = await ingest.post('/v1/signals/logs', body, {
      contentType: 'text/plain',
    });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).issues).toEqual([
      { at: 'line 3.source', message: expect.stringMatching(/pass \?source=/) },
    ]);
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before);
  });

  it('answers 400 naming the line of a malformed entry', async () => {
    const res = await ingest.post(
      '/v1/signals/logs?source=api',
      'not a log line\n',
      { contentType: 'text/plain' },
    );
    expect(res.status).toBe(400);
    expect((await problemOf(res)).issues?.[0]?.at).toBe('line 1');
  });
});
