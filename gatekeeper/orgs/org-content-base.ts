import type { Database } from '../db/database.js';
import { orgContentUrlOf } from '../db/orgs.js';
import { contentOriginsOf, orgContentUrl } from './content-url.js';

/**
 * The base URL an org's content, player and cmi5 launch page are served from, with the URL the operator
 * set for it read from the database (gatekeeper/orgs/content-url.ts has the rule).
 *
 * @example
 * const base = await orgContentBase({ db, config }, 'org_0b6f…'); // 'http://org-0b6f….localhost:8788'
 */
export async function orgContentBase(
  deps: { db: Database; config: { contentUrl: string; orgContentUrl?: string | undefined } },
  orgId: string,
): Promise<string> {
  return orgContentUrl(contentOriginsOf(deps.config), {
    id: orgId,
    contentUrl: await orgContentUrlOf(deps.db, orgId),
  });
}
