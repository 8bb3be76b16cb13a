/**
 * Slows password guessing: after `free` failures for a key (see `sign-in-backoff.ts`), each further
 * attempt must wait twice as long as the last, up to `maxDelayMs`. Failures are forgotten after
 * `forgetAfterMs` of quiet. In memory: a restart forgives, which is acceptable for a lockout that only
 * ever lasts minutes.
 */
export interface LoginBackoff {
  /** Milliseconds the caller must still wait before trying `keys` again; 0 when free to try. */
  waitMs(keys: readonly string[]): number;
  fail(keys: readonly string[]): void;
  succeed(keys: readonly string[]): void;
}

export function createLoginBackoff(options: {
  now: () => Date;
  free?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  forgetAfterMs?: number;
}): LoginBackoff {
  const free = options.free ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 15 * 60_000;
  const forget = options.forgetAfterMs ?? 60 * 60_000;
  const state = new Map<string, { failures: number; last: number }>();
  const now = () => options.now().getTime();

  const entry = (key: string) => {
    const e = state.get(key);
    if (e && now() - e.last > forget) {
      state.delete(key);
      return undefined;
    }
    return e;
  };
  const delayOf = (failures: number) => (failures < free ? 0 : Math.min(max, base * 2 ** (failures - free)));

  return {
    waitMs(keys) {
      let wait = 0;
      for (const key of keys) {
        const e = entry(key);
        if (e) wait = Math.max(wait, e.last + delayOf(e.failures) - now());
      }
      return Math.max(0, wait);
    },
    fail(keys) {
      for (const key of keys) {
        const e = entry(key);
        state.set(key, { failures: (e?.failures ?? 0) + 1, last: now() });
      }
      // Bound memory under a spray of addresses: drop the oldest entries.
      if (state.size > 100_000) for (const k of [...state.keys()].slice(0, 10_000)) state.delete(k);
    },
    succeed(keys) {
      for (const key of keys) state.delete(key);
    },
  };
}
