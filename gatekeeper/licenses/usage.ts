import { flagCandidates, type LicenseUsage, licenseUsage } from '../db/license-usage.js';
import type { LicenseRow } from '../db/licenses.js';
import { EXPIRING_MS, type LicenseFlag, licenseFlags } from './flags.js';
import type { Actor, LicenseDeps } from './service.js';

export interface LicenseUsageWithFlags extends LicenseUsage {
  flags: LicenseFlag[];
}

/**
 * Usage and flags of a page of licenses, read in one statement (not one per row), for the dashboard's
 * license list and detail page.
 *
 * @example
 * const usage = await usageOfLicenses(deps, user, page.rows);
 * usage.get(row.id)?.allowed;
 */
export async function usageOfLicenses(
  deps: LicenseDeps,
  actor: Actor,
  rows: readonly LicenseRow[],
): Promise<Map<string, LicenseUsageWithFlags>> {
  const now = deps.now();
  const usage = await licenseUsage(
    deps.db,
    actor.orgId,
    rows.map((r) => r.id),
    now,
  );
  const out = new Map<string, LicenseUsageWithFlags>();
  for (const row of rows) {
    const u = usage.get(row.id);
    if (u) out.set(row.id, { ...u, flags: licenseFlags(row, u.capUsed, now.getTime()) });
  }
  return out;
}

/** The org's flagged licenses (of one course, if named), by client name, each with its flags. */
export async function flaggedLicensesOf(
  deps: LicenseDeps,
  actor: Actor,
  input: { courseId?: string | undefined } = {},
) {
  const now = deps.now();
  const rows = await flagCandidates(deps.db, {
    orgId: actor.orgId,
    courseId: input.courseId,
    now,
    expiringMs: EXPIRING_MS,
  });
  return rows
    .map((r) => ({ ...r, flags: licenseFlags(r, r.capUsed, now.getTime()) }))
    .filter((r) => r.flags.length > 0);
}
