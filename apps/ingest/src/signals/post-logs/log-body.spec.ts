import { parseLogBody } from './log-body';

const ENTRY =
  '[2025-12-24T14:35:22.123Z] [ERROR] [agent:code-review] Rate limit exceeded\n  userId: user-456\n';

describe('log body', () => {
  it('takes the source from ?source= when the entries do not name one', () => {
    const parsed = parseLogBody(ENTRY, 'review-bot');
    expect(parsed.ok && parsed.value[0]).toMatchObject({
      source: 'review-bot',
      component: 'agent:code-review',
      userId: 'user-456',
    });
  });

  it("prefers an entry's own source: line over the query", () => {
    const parsed = parseLogBody(`${ENTRY}  source: billing\n`, 'review-bot');
    expect(parsed.ok && parsed.value[0].source).toBe('billing');
  });

  it('needs no query when every entry names its source', () => {
    expect(parseLogBody(`${ENTRY}  source: billing\n`, undefined).ok).toBe(
      true,
    );
  });

  it('says what to do when an entry has neither a source: line nor ?source=', () => {
    const parsed = parseLogBody(
      `${ENTRY}  source: billing\n${ENTRY}`,
      undefined,
    );
    expect(parsed).toEqual({
      ok: false,
      issues: [
        {
          at: 'line 4.source',
          message: expect.stringMatching(
            /no source: add a "source: <service>" line .* or pass \?source=/,
          ),
        },
      ],
    });
  });

  it('refuses an empty or repeated ?source=', () => {
    expect(parseLogBody(ENTRY, '  ')).toEqual({
      ok: false,
      issues: [{ at: 'query.source', message: expect.any(String) }],
    });
    expect(parseLogBody(ENTRY, ['a', 'b']).ok).toBe(false);
  });

  it('refuses more than 1,000 entries in one body', () => {
    const parsed = parseLogBody(ENTRY.repeat(1_001), 'api');
    expect(parsed).toEqual({
      ok: false,
      issues: [
        {
          at: '',
          message: 'a request holds at most 1000 log entries, got 1001',
        },
      ],
    });
  });
});
