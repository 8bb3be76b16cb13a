/** A token bucket per key (license id, client address), held in memory by whoever creates it. */
export interface RateLimiter {
  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string, nowMs: number): boolean;
}

export interface TokenBucketOptions {
  /** Burst size. */
  capacity: number;
  refillPerSecond: number;
  /** Buckets kept before the oldest are dropped, so a flood of new keys cannot grow memory without bound. */
  maxKeys?: number;
}

/**
 * @example
 * const perAddress = createTokenBucket({ capacity: 100, refillPerSecond: 20 });
 * if (!perAddress.take(ip, Date.now())) answer429();
 */
export function createTokenBucket(options: TokenBucketOptions): RateLimiter {
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, nowMs) {
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
        b = { tokens: options.capacity, at: nowMs };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(options.capacity, b.tokens + ((nowMs - b.at) / 1000) * options.refillPerSecond);
        b.at = nowMs;
      }
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
