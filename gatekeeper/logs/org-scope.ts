import { and, eq, type SQL } from 'drizzle-orm';
import { launchesOfLicenses } from '../db/launch-events.js';
import { completions, errorEvents, launchEvents, licenses } from '../db/schema.js';

/**
 * The org isolation of the launch, error and completion logs, written once for every reader: the
 * dashboard's pages and charts (`logs/page-queries.ts`, `dashboard/queries.ts`) and the API's log pages
 * and exports (`logs/queries.ts`). A read starts from one of these and adds its own filters; none writes
 * its own org check.
 */

/**
 * The join from the org's licenses to their launch events, with both sides of it in the org (an event
 * whose `org_id` disagrees with its license is nobody's); `outcome` keeps allowed or denied ones only.
 *
 * @example
 * db.orm.select().from(licenses).innerJoin(launchEvents, orgLaunches(orgId)).where(gte(launchEvents.at, since))
 */
export function orgLaunches(orgId: string, outcome?: 'allowed' | 'denied'): SQL {
  return and(launchesOfLicenses(outcome), eq(licenses.orgId, orgId), eq(launchEvents.orgId, orgId)) as SQL;
}

/** Error groups of the org: the condition every error read starts its `where` with. */
export const orgErrors = (orgId: string): SQL => eq(errorEvents.orgId, orgId);

/** Completion records of the org: the condition every completion read starts its `where` with. */
export const orgCompletions = (orgId: string): SQL => eq(completions.orgId, orgId);
