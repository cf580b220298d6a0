/**
 * A token bucket as plain data: time comes in as an argument (milliseconds on a monotonic clock),
 * so the arithmetic is tested without timers and a replica's clock jump cannot mint tokens.
 */
export interface BucketLimits {
  /** Tokens added per second (signals per second a source may sustain). */
  ratePerSecond: number;
  /** Most tokens a bucket holds (the largest burst a rested source may send at once). */
  burst: number;
}

export interface Bucket {
  /** May be negative: a batch larger than the burst is admitted from a full bucket and leaves a debt. */
  tokens: number;
  updatedAtMs: number;
}

export type TakeResult =
  | { ok: true; bucket: Bucket }
  | { ok: false; bucket: Bucket; retryAfterMs: number };

export function fullBucket(limits: BucketLimits, nowMs: number): Bucket {
  return { tokens: limits.burst, updatedAtMs: nowMs };
}

export function refill(
  bucket: Bucket,
  limits: BucketLimits,
  nowMs: number,
): Bucket {
  // A clock that went backwards refills nothing rather than draining the bucket.
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
  const tokens = Math.min(
    limits.burst,
    bucket.tokens + (elapsedMs * limits.ratePerSecond) / 1000,
  );
  return { tokens, updatedAtMs: Math.max(nowMs, bucket.updatedAtMs) };
}

/**
 * Takes `count` tokens, or says how long until they are there. A batch larger than the burst could
 * never fit, so it only needs a full bucket and then goes into debt: the source waits it off, which
 * keeps its long-run rate at `ratePerSecond` without refusing a batch for ever.
 */
export function take(
  bucket: Bucket,
  count: number,
  limits: BucketLimits,
  nowMs: number,
): TakeResult {
  const current = refill(bucket, limits, nowMs);
  const needed = Math.min(count, limits.burst);
  if (current.tokens >= needed)
    return { ok: true, bucket: { ...current, tokens: current.tokens - count } };
  return {
    ok: false,
    bucket: current,
    retryAfterMs: Math.ceil(
      ((needed - current.tokens) * 1000) / limits.ratePerSecond,
    ),
  };
}

/** A full bucket is the same as no bucket, so forgetting it changes no future answer. */
export function isFull(
  bucket: Bucket,
  limits: BucketLimits,
  nowMs: number,
): boolean {
  return refill(bucket, limits, nowMs).tokens >= limits.burst;
}
