import {
  type BucketLimits,
  fullBucket,
  isFull,
  refill,
  take,
} from './token-bucket';

const limits: BucketLimits = { ratePerSecond: 10, burst: 100 };

describe('token bucket', () => {
  it('lets a rested source send its whole burst at once', () => {
    const result = take(fullBucket(limits, 0), 100, limits, 0);
    expect(result).toEqual({ ok: true, bucket: { tokens: 0, updatedAtMs: 0 } });
  });

  it('refuses what is over the burst and says how long until it fits', () => {
    const drained = { tokens: 0, updatedAtMs: 0 };
    expect(take(drained, 5, limits, 0)).toEqual({
      ok: false,
      bucket: drained,
      retryAfterMs: 500,
    });
  });

  it('refills at the configured rate, never above the burst', () => {
    expect(refill({ tokens: 0, updatedAtMs: 0 }, limits, 2_000).tokens).toBe(
      20,
    );
    expect(refill({ tokens: 90, updatedAtMs: 0 }, limits, 60_000).tokens).toBe(
      100,
    );
  });

  it('counts signals, not requests: a 30-signal batch costs 30 tokens', () => {
    const result = take({ tokens: 40, updatedAtMs: 0 }, 30, limits, 0);
    expect(result.ok && result.bucket.tokens).toBe(10);
  });

  it('admits a batch larger than the burst from a full bucket and makes the source wait off the debt', () => {
    const first = take(fullBucket(limits, 0), 150, limits, 0);
    expect(first).toEqual({
      ok: true,
      bucket: { tokens: -50, updatedAtMs: 0 },
    });
    const next = take(first.bucket, 1, limits, 0);
    expect(next.ok).toBe(false);
    expect(next.ok ? 0 : next.retryAfterMs).toBe(5_100);
  });

  it('mints no tokens when the clock goes backwards', () => {
    expect(refill({ tokens: 10, updatedAtMs: 5_000 }, limits, 1_000)).toEqual({
      tokens: 10,
      updatedAtMs: 5_000,
    });
  });

  it('calls a bucket full once it has refilled to the burst, so it can be forgotten', () => {
    expect(isFull({ tokens: 50, updatedAtMs: 0 }, limits, 4_999)).toBe(false);
    expect(isFull({ tokens: 50, updatedAtMs: 0 }, limits, 5_000)).toBe(true);
  });
});
