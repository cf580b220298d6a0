import {
  type Bucket,
  type BucketLimits,
  fullBucket,
  isFull,
  take,
} from './token-bucket';

export interface RateLimits extends BucketLimits {
  /** Most sources tracked at once; memory stays bounded however many sources publish. */
  maxSources: number;
}

export type Admission =
  | { ok: true }
  | { ok: false; source: string; retryAfterSeconds: number };

/**
 * One token bucket per source, counted in signals. Per replica: with N ingest replicas behind a
 * load balancer a source gets up to N times the rate, which is the point of a protective limit
 * (no replica is swamped) rather than a billing quota.
 */
export class SourceRateLimiter {
  // Map order doubles as recency order: a bucket is re-inserted on every use.
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: RateLimits) {}

  get trackedSources(): number {
    return this.buckets.size;
  }

  /**
   * All or nothing: a request whose signals come from several sources is admitted only if every
   * source has room, and only then are tokens taken, so a refused request costs nobody anything.
   */
  admit(
    signalsPerSource: ReadonlyMap<string, number>,
    nowMs: number,
  ): Admission {
    const taken: [string, Bucket][] = [];
    let refused: { source: string; retryAfterMs: number } | undefined;
    for (const [source, count] of signalsPerSource) {
      const result = take(
        this.buckets.get(source) ?? fullBucket(this.limits, nowMs),
        count,
        this.limits,
        nowMs,
      );
      if (result.ok) taken.push([source, result.bucket]);
      else if (!refused || result.retryAfterMs > refused.retryAfterMs)
        refused = { source, retryAfterMs: result.retryAfterMs };
    }
    if (refused)
      return {
        ok: false,
        source: refused.source,
        retryAfterSeconds: Math.max(1, Math.ceil(refused.retryAfterMs / 1000)),
      };
    for (const [source, bucket] of taken) this.remember(source, bucket, nowMs);
    return { ok: true };
  }

  private remember(source: string, bucket: Bucket, nowMs: number): void {
    this.buckets.delete(source);
    this.buckets.set(source, bucket);
    if (this.buckets.size > this.limits.maxSources) this.evict(nowMs);
  }

  /**
   * Idle (refilled) buckets go first: dropping them is lossless. Only if every tracked source is
   * still busy are the least recently used dropped, which hands those a fresh burst: a bounded
   * leniency, preferred to unbounded memory. Evicting down to 90% keeps the sweep amortised.
   */
  private evict(nowMs: number): void {
    const target = Math.floor(this.limits.maxSources * 0.9);
    for (const [source, bucket] of this.buckets) {
      if (isFull(bucket, this.limits, nowMs)) this.buckets.delete(source);
    }
    for (const source of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(source);
    }
  }
}

/** How many signals each source sent in one request. */
export function countBySource(sources: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const source of sources)
    counts.set(source, (counts.get(source) ?? 0) + 1);
  return counts;
}
