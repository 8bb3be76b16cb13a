/** How long to wait after the `attempt`-th failed attempt (1-based), in ms. */
export type RetryDelay = (attempt: number) => number;

/**
 * Exponential backoff with jitter: `baseMs · 2^(attempt-1)`, capped at `capMs`, then drawn between half
 * of it and all of it, so receivers coming back from an outage are not hit by every sender at once.
 *
 * @example
 * const delay = exponentialBackoff({ baseMs: 5_000, capMs: 3_600_000, random: Math.random });
 */
export function exponentialBackoff(options: {
  baseMs: number;
  capMs: number;
  random: () => number;
}): RetryDelay {
  return (attempt) => {
    const full = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(full / 2 + (options.random() * full) / 2);
  };
}

/** The default schedule: 5 s doubling to at most an hour; a delivery is given up after a day. */
export const DEFAULT_RETRY = { baseMs: 5_000, capMs: 3_600_000 } as const;
export const DEFAULT_MAX_AGE_MS = 24 * 3_600_000;
