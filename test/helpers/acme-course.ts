import { createCourseOf } from '../../gatekeeper/courses/service.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { type IssueLicense, issueLicense } from '../../gatekeeper/licenses/service.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';

/**
 * An org "Acme" with an owner's API key and a course `intro`, seeded through the services as the API makes
 * them, on any database (a running server's file, the Worker's D1); `issue` adds a license for `intro`.
 */
export async function seedAcmeCourse(deps: { db: Database; now: () => Date }) {
  const { org, owner, key } = await createOrgWithOwner(deps, {
    name: 'Acme',
    owner: { email: 'owner@acme.test' },
    keyName: 'owner',
  });
  const actor = { orgId: org.id, memberId: owner.id };
  await createCourseOf(deps, actor, { slug: 'intro', title: 'Intro' });
  const issue = (clientName: string, more: Partial<IssueLicense> = {}) =>
    issueLicense(deps, actor, { courseId: 'intro', clientName, ...more });
  return { org, key, actor, issue };
}
