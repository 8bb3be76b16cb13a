import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { DeploymentMetadata } from '../../protocol/deploy.js';
import { getCourse } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { createDeployment, type Deployment } from '../db/deployments.js';
import { promote } from '../deployments/pointer.js';
import { readEncoded } from '../deployments/read-player-files.js';
import type { PutOptions, Storage } from '../storage/types.js';

export interface SeedDeploymentOptions {
  db: Database;
  storage: Storage;
  orgId: string;
  /** The member the promotion's audit event names. */
  memberId: string;
  courseId: string;
  /** The course files: a zip's bytes (its manifest kept) or a map path → bytes. */
  files: Uint8Array | Record<string, Uint8Array>;
  /** Entry page relative to the deployment root. */
  entry: string;
  /** The built player folder (`dist/player`): its html and js go under `_coursegate/`. */
  playerDir: string;
  /** What `coursegate deploy` would record from the course's config (mastery score, title, …). */
  metadata?: DeploymentMetadata;
  now: number;
  /** The promotion's reason in the course's audit history. */
  reason?: string;
}

/**
 * Writes a deployment straight into storage (`courses/<course>/<deployment>/…`, the player under
 * `_coursegate/`) and makes it live through the promote service (audited as any promotion): what the demo
 * and the end-to-end tests use instead of the deploy API's upload and finalize.
 */
export async function seedDeployment(options: SeedDeploymentOptions): Promise<Deployment> {
  const raw = options.files instanceof Uint8Array ? unzipSync(options.files) : options.files;
  const files: Record<string, Uint8Array> = {};
  for (const [path, data] of Object.entries(raw)) if (!path.endsWith('/')) files[path] = data;
  // The player's precompressed forms go with it, as the deploy flow stores them (plan.ts).
  const encoded: Record<string, PutOptions['encoded']> = {};
  for (const f of readdirSync(options.playerDir)) {
    if (!/\.(html|js)$/.test(f)) continue;
    files[`_coursegate/${f}`] = readFileSync(join(options.playerDir, f));
    encoded[`_coursegate/${f}`] = await readEncoded(join(options.playerDir, f));
  }
  const listed = Object.entries(files).map(([path, data]) => ({
    path,
    sha256: createHash('sha256').update(data).digest('hex'),
    size: data.length,
  }));
  const deployment = await createDeployment(options.db, {
    orgId: options.orgId,
    courseId: options.courseId,
    entry: options.entry,
    files: listed,
    status: 'staged',
    ...(options.metadata ? { metadata: JSON.stringify(options.metadata) } : {}),
    now: options.now,
  });
  const root = `courses/${options.courseId}/${deployment.id}/`;
  for (const [path, data] of Object.entries(files)) {
    const variants = encoded[path];
    await options.storage.put(root + path, data, variants ? { encoded: variants } : {});
  }
  // Like any sender, the seeding moves the pointer only from the state it read.
  const course = await getCourse(options.db, options.orgId, options.courseId);
  await promote(
    { db: options.db, now: () => new Date(options.now) },
    { orgId: options.orgId, memberId: options.memberId },
    {
      course: options.courseId,
      deployment: deployment.id,
      reason: options.reason ?? 'Seeded',
      expectedLive: course?.liveDeploymentId ?? null,
    },
  );
  return { ...deployment, status: 'live' };
}
