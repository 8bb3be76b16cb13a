import { GatekeeperError } from '../errors.js';

/** A token bucket per key (license id, client address), held in memory by whoever creates it. */
export interface RateLimiter {
  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string, nowMs: number): boolean;
  /** Seconds until `key`'s bucket holds a token again, 0 when it holds one now: a 429's `Retry-After`. */
  retryAfter(key: string, nowMs: number): number;
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
 * if (!perAddress.take(ip, now)) answer429({ retryAfter: perAddress.retryAfter(ip, now) });
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
    retryAfter(key, nowMs) {
      const b = buckets.get(key);
      if (!b) return 0;
      const tokens = Math.min(options.capacity, b.tokens + ((nowMs - b.at) / 1000) * options.refillPerSecond);
      return tokens >= 1 ? 0 : (1 - tokens) / options.refillPerSecond;
    },
  };
}

/**
 * Takes a token for `key`, or throws `429 rate_limited` with `Retry-After`: the seconds until the bucket
 * holds one again.
 */
export function takeOrRefuse(limiter: RateLimiter, key: string, nowMs: number, message: string): void {
  if (!limiter.take(key, nowMs))
    throw new GatekeeperError('rate_limited', message, undefined, {
      retryAfter: limiter.retryAfter(key, nowMs),
    });
}
