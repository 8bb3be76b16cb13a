import { sql } from 'drizzle-orm';
import { leaveSharedOriginStatement } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { type Deployment, getDeployment } from '../db/deployments.js';
import { deployments } from '../db/schema.js';
import { GatekeeperError } from '../errors.js';
import { outboxStatements } from '../outbox/record.js';
import type { Storage } from '../storage/types.js';
import { deploymentKey } from './keys.js';
import { PLAYER_DIR, PLAYER_FILE_NAMES } from './player-files.js';
import { filesOf, markFinalizedStatement } from './queries.js';
import { loadDeployment } from './service.js';
import { verifyObject } from './verify.js';

const PARALLEL = 16;

/**
 * Verifies every file of an `uploading` deployment in storage (size, and sha256 where the driver knows
 * it) and freezes it as `staged`; its course is then off the shared content origin, if it was still on it. Finalizing a finalized deployment returns it unchanged. Files missing
 * or different: `409 conflict` with `details.files: [{ path, problem }]`.
 */
export async function finalizeDeployment(
  deps: { db: Database; storage: Storage; now: () => Date },
  orgId: string,
  id: string,
): Promise<Deployment> {
  const deployment = await loadDeployment(deps, { orgId }, id);
  if (deployment.finalizedAt !== null) return deployment;
  const files = filesOf(deployment);
  const problems: { path: string; problem: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      const problem = await verifyObject(
        deps.storage,
        deploymentKey(deployment.courseId, deployment.id, f.path),
        f,
      );
      if (problem) problems.push({ path: f.path, problem });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
  for (const name of PLAYER_FILE_NAMES) {
    const key = deploymentKey(deployment.courseId, deployment.id, `${PLAYER_DIR}/${name}`);
    if (!(await deps.storage.head(key))) problems.push({ path: `${PLAYER_DIR}/${name}`, problem: 'missing' });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => (a.path < b.path ? -1 : 1));
    throw new GatekeeperError(
      'upload_incomplete',
      `${problems.length} file(s) missing or different; upload them and finalize again`,
      { files: problems },
    );
  }
  const at = deps.now().getTime();
  const { db } = deps;
  const uploading = sql`(SELECT ${deployments.status} FROM ${deployments} WHERE ${deployments.id} = ${deployment.id}) = 'uploading'`;
  // The event first, on the condition the update below changes: a deployment is finalized (and
  // announced) once, even when two finalize calls race.
  await db.batch([
    ...outboxStatements(
      db,
      {
        orgId,
        type: 'deployment.finalized',
        subject: deployment.id,
        data: { deploymentId: deployment.id, courseId: deployment.courseId },
        at,
      },
      { when: uploading },
    ).statements,
    markFinalizedStatement(db, deployment.id, at),
    // The course's next deployment after each org got its own content origin: the shared origin stops
    // serving it (docs/storage.md, "The content origin").
    leaveSharedOriginStatement(db, deployment.courseId),
  ]);
  return (await getDeployment(deps.db, orgId, id))!;
}
