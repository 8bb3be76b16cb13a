import { expect } from 'vitest';

/** One event of `GET /v1/courses/{id}/history`, as the tests read it. */
export interface ChainEvent {
  from: string | null;
  to: string | null;
}

/**
 * Asserts that a course's history (newest first, as the API answers it) is one unbroken chain: the
 * oldest event starts at `start`, each later one starts where the one before ended, and the newest
 * ends at the live deployment. A change written from a state that no longer held breaks it.
 */
export function expectUnbrokenChain(
  newestFirst: readonly ChainEvent[],
  start: string | null,
  live: string | null,
) {
  const events = [...newestFirst].reverse();
  expect(events.map((e) => e.from)).toEqual([start, ...events.slice(0, -1).map((e) => e.to)]);
  expect(events.at(-1)?.to ?? start).toBe(live);
}
