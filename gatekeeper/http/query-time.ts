import { GatekeeperError } from '../errors.js';

/**
 * A time from a query string (`since`, `until`) as epoch ms: an ISO 8601 date or date-time. The calendar
 * date is checked first, because `Date.parse` quietly turns 2026-02-30 into March 2nd.
 *
 * @example
 * queryTime('2026-03-01T12:00:00Z', 'since'); // 1772366400000
 */
export function queryTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value);
  const ms = Date.parse(value);
  const real =
    date !== null &&
    new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))).getUTCDate() ===
      Number(date[3]);
  if (!real || Number.isNaN(ms))
    throw new GatekeeperError('invalid_request', `${name} must be an ISO 8601 date or date-time`);
  return ms;
}
