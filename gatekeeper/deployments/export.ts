import type { PackageFormat } from '../../formats/manifest/package-manifest.js';
import { type WebZipSource, zipStream } from '../../formats/zip/web-writer.js';
import type { Course } from '../db/courses.js';
import type { Deployment } from '../db/deployments.js';
import { GatekeeperError } from '../errors.js';
import type { Storage } from '../storage/types.js';
import { exportManifest } from './export-manifest.js';
import { deploymentKey } from './keys.js';
import { filesOf } from './queries.js';

/**
 * Streams a portable SCORM 1.2 / 2004 / cmi5 package of a finalized deployment, read from storage file
 * by file (never whole into memory). `_coursegate/` (the gated player) stays out. Web streams only, so
 * the Node server and the Worker serve the same export. The first file is asked of storage before the
 * stream is returned: an unreachable store answers 503 `storage_unavailable` then, not a 200 whose body
 * breaks off.
 */
export async function exportDeployment(
  storage: Storage,
  course: Course,
  deployment: Deployment,
  format: PackageFormat,
): Promise<ReadableStream<Uint8Array>> {
  if (deployment.finalizedAt === null)
    throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
  const files: WebZipSource[] = filesOf(deployment).map((f) => ({
    path: f.path,
    size: f.size,
    open: async () => {
      const got = await storage.get(deploymentKey(course.id, deployment.id, f.path));
      if (!got) throw new GatekeeperError('internal_error', `${f.path} is missing from storage`);
      return got.body;
    },
  }));
  const { files: sorted, manifest } = exportManifest({ course, deployment, format, files });
  const first = sorted[0];
  if (first) {
    // Opened now and handed to the zip writer, which asks for it first: no extra request to storage.
    const body = await first.open();
    sorted[0] = { ...first, open: () => body };
  }
  return zipStream([
    ...sorted,
    { path: manifest.path, size: manifest.bytes.length, open: () => manifest.bytes },
  ]);
}
