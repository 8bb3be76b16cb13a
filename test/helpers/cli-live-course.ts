import { join } from 'node:path';
import { createCourse } from '../../gatekeeper/db/courses.js';
import { seedDeployment } from '../../gatekeeper/demo/seed-deployment.js';
import type { CliGatekeeper } from './cli-gatekeeper.js';
import { ROOT } from './paths.js';

/**
 * A course `intro` of the owner's org with a live one-page deployment, made through the data layer and
 * storage (the player from dist/, built by the global setup), so its licenses launch.
 * @example const courseId = await cliLiveCourse(gk, await gk.org('Acme'));
 */
export async function cliLiveCourse(
  gk: CliGatekeeper,
  owner: Awaited<ReturnType<CliGatekeeper['org']>>,
): Promise<string> {
  const orgId = owner.org.id;
  const courseId = (await createCourse(gk.db, { orgId, slug: 'intro', title: 'intro', now: Date.now() })).id;
  await seedDeployment({
    db: gk.db,
    storage: gk.storage,
    orgId,
    courseId,
    memberId: owner.owner.id,
    files: { 'index.html': new TextEncoder().encode('<p>hi</p>') },
    entry: 'index.html',
    playerDir: join(ROOT, 'dist/player'),
    now: Date.now(),
  });
  return courseId;
}
