import { courseOrigin } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { orgOfContentHost } from '../db/orgs.js';
import { type ContentOrigins, orgOfTemplateHost } from '../orgs/content-url.js';

/** Whether the content listener may answer `key` to a request sent to `host` (its `Host` header). */
export type HostAccess = (host: string, key: string) => Promise<boolean>;

/**
 * The fs content listener's routing (docs/storage.md, "The content origin"): a key under
 * `courses/<course>/` is served only on its course's org's host (the template's `<org>` host, or the
 * host of the org's own content URL), and on the shared host only while the course has not been
 * deployed since each org got its own origin. Otherwise a course of org B could be opened on org A's
 * origin and read what A's pages keep there.
 *
 * @example
 * const access = createHostAccess({ db, origins: { shared: 'http://127.0.0.1:8788', template: 'http://{org}.localhost:8788' } });
 * await access('org-0b6f….localhost:8788', 'courses/crs_1/dep_1/index.html'); // true if crs_1 is that org's
 */
export function createHostAccess(deps: { db: Database; origins: ContentOrigins }): HostAccess {
  return async (rawHost, key) => {
    const host = rawHost.toLowerCase();
    // Read per request: a listener on port 0 learns its origins once bound.
    const sharedHost = new URL(deps.origins.shared).host;
    const course = await courseOrigin(deps.db, key.split('/')[1] ?? '');
    if (!course) return false;
    if (host === sharedHost) return course.sharedOrigin === 1;
    const org = orgOfTemplateHost(deps.origins.template, host) ?? (await orgOfContentHost(deps.db, host));
    return org === course.orgId;
  };
}
