import type { DayRange } from './course-days.js';

const DAY_MS = 86_400_000;
/** Days a chart shows when no range is given. */
export const DEFAULT_DAYS = 14;
/** The longest range a chart draws: a year of bars. */
export const MAX_DAYS = 366;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const parseDay = (v: string | undefined) =>
  v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))
    ? Date.parse(`${v}T00:00:00Z`)
    : undefined;

/**
 * The UTC days from `from` to `to` (both `YYYY-MM-DD`, both included) that a chart and the courses
 * page count over: the last 14 days up to today when absent, never more than 366 days (a longer range
 * keeps its end), the ends swapped when given in the wrong order. Answers the days as ms and the dates
 * as they go back into the form.
 */
export function dayRangeOf(
  fromText: string | undefined,
  toText: string | undefined,
  now: number,
): { days: DayRange; from: string; to: string } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  let last = parseDay(toText) ?? today;
  let first = parseDay(fromText) ?? last - (DEFAULT_DAYS - 1) * DAY_MS;
  if (first > last) [first, last] = [last, first];
  first = Math.max(first, last - (MAX_DAYS - 1) * DAY_MS);
  return { days: { from: first, to: last + DAY_MS }, from: isoDay(first), to: isoDay(last) };
}
