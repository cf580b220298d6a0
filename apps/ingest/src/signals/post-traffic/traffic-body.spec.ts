import { parseTrafficBody } from './traffic-body';

const SAMPLE = {
  source: 'api',
  windowStart: '2026-01-01T00:00:00Z',
  windowEnd: '2026-01-01T00:01:00Z',
  requests: 100,
  errors: 7,
};

describe('traffic body', () => {
  it('takes one sample or an array', () => {
    expect(parseTrafficBody(SAMPLE)).toEqual({ ok: true, value: [SAMPLE] });
    expect(parseTrafficBody([SAMPLE, SAMPLE])).toEqual({
      ok: true,
      value: [SAMPLE, SAMPLE],
    });
  });

  it('names the index and field of each bad sample and takes none of the batch', () => {
    const parsed = parseTrafficBody([
      SAMPLE,
      { ...SAMPLE, errors: 101 },
      { ...SAMPLE, requests: 'many' },
    ]);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.at)).toEqual([
      '[1].errors',
      '[2].requests',
    ]);
  });

  it('refuses an empty batch and one over 1,000 samples', () => {
    expect(parseTrafficBody([]).ok).toBe(false);
    expect(
      parseTrafficBody(Array.from({ length: 1_001 }, () => SAMPLE)).ok,
    ).toBe(false);
  });
});
