import {
  countBySource,
  type RateLimits,
  SourceRateLimiter,
} from './source-rate-limiter';

describe('source rate limiter', () => {
  it('limits each source on its own: one noisy source does not throttle another', () => {
    const limiter = new SourceRateLimiter(limits({ burst: 10 }));
    expect(limiter.admit(counts({ noisy: 10 }), 0)).toEqual({ ok: true });
    expect(limiter.admit(counts({ noisy: 1 }), 0)).toEqual({
      ok: false,
      source: 'noisy',
      retryAfterSeconds: 1,
    });
    expect(limiter.admit(counts({ quiet: 10 }), 0)).toEqual({ ok: true });
  });

  it('refuses a mixed batch whole and takes nothing from the sources that had room', () => {
    const limiter = new SourceRateLimiter(limits({ burst: 10 }));
    limiter.admit(counts({ a: 10 }), 0);
    expect(limiter.admit(counts({ b: 10, a: 1 }), 0).ok).toBe(false);
    expect(limiter.admit(counts({ b: 10 }), 0)).toEqual({ ok: true });
  });

  it('answers Retry-After in whole seconds, rounded up, for the slowest source of the batch', () => {
    const limiter = new SourceRateLimiter(
      limits({ ratePerSecond: 2, burst: 10 }),
    );
    limiter.admit(counts({ a: 10, b: 10 }), 0);
    expect(limiter.admit(counts({ a: 1, b: 7 }), 0)).toEqual({
      ok: false,
      source: 'b',
      retryAfterSeconds: 4,
    });
  });

  it('keeps at most maxSources buckets, forgetting idle ones first', () => {
    const limiter = new SourceRateLimiter(
      limits({ ratePerSecond: 1, burst: 10, maxSources: 10 }),
    );
    for (let i = 0; i < 10; i++) limiter.admit(counts({ [`idle-${i}`]: 1 }), 0);
    limiter.admit(counts({ busy: 10 }), 20_000);
    expect(limiter.trackedSources).toBe(1);
    expect(limiter.admit(counts({ busy: 1 }), 20_000).ok).toBe(false);
  });

  it('stays bounded when every source is busy, dropping the least recently used', () => {
    const limiter = new SourceRateLimiter(
      limits({ ratePerSecond: 1, burst: 10, maxSources: 100 }),
    );
    for (let i = 0; i < 10_000; i++)
      limiter.admit(counts({ [`s-${i}`]: 10 }), 0);
    expect(limiter.trackedSources).toBeLessThanOrEqual(100);
    expect(limiter.admit(counts({ 's-9999': 1 }), 0).ok).toBe(false);
  });
});

describe('countBySource', () => {
  it('counts the signals of each source in a request', () => {
    expect(countBySource(['a', 'b', 'a'])).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
  });
});

function limits(overrides: Partial<RateLimits> = {}): RateLimits {
  return { ratePerSecond: 10, burst: 100, maxSources: 1_000, ...overrides };
}

function counts(bySource: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(bySource));
}
