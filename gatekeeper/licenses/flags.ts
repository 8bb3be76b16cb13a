import type { LicenseRow } from '../db/licenses.js';

/** A license is flagged this many days before it expires (docs/dashboard.md, "Licenses"). */
export const EXPIRING_DAYS = 14;
/** …and once its launches in the cap's period reach this share of the cap. */
export const CAP_WARNING_PERCENT = 80;
export const EXPIRING_MS = EXPIRING_DAYS * 86_400_000;

export type LicenseFlag =
  | { kind: 'expiring'; expiresAt: number; days: number }
  | { kind: 'cap'; used: number; limit: number; percent: number; period: string };

/**
 * Why an operator should look at a license now: it expires within `EXPIRING_DAYS`, or its launches
 * reached `CAP_WARNING_PERCENT` % of its cap. A revoked or expired license is past warning.
 */
export function licenseFlags(
  row: Pick<LicenseRow, 'status' | 'expiresAt' | 'launchCap' | 'capPeriod'>,
  capUsed: number,
  nowMs: number,
): LicenseFlag[] {
  if (row.status === 'revoked' || (row.expiresAt !== null && row.expiresAt <= nowMs)) return [];
  const flags: LicenseFlag[] = [];
  if (row.expiresAt !== null && row.expiresAt - nowMs <= EXPIRING_MS)
    flags.push({
      kind: 'expiring',
      expiresAt: row.expiresAt,
      days: Math.ceil((row.expiresAt - nowMs) / 86_400_000),
    });
  if (row.launchCap !== null && capUsed * 100 >= CAP_WARNING_PERCENT * row.launchCap)
    flags.push({
      kind: 'cap',
      used: capUsed,
      limit: row.launchCap,
      percent: Math.floor((capUsed * 100) / row.launchCap),
      period: row.capPeriod ?? 'total',
    });
  return flags;
}

/** A flag in words, the same on the dashboard and in the CLI. */
export function flagText(flag: LicenseFlag): string {
  if (flag.kind === 'expiring')
    return `expires in ${flag.days} day${flag.days === 1 ? '' : 's'} (${new Date(flag.expiresAt).toISOString().slice(0, 10)})`;
  const period = flag.period === 'total' ? 'in total' : `this ${flag.period}`;
  return `${flag.percent} % of its cap used (${flag.used} of ${flag.limit} launches ${period})`;
}
