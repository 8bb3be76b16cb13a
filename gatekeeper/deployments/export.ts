import type { Course as PackageCourse } from '../../packager/course.js';
import { PackagerError } from '../../packager/errors.js';
import type { ManifestItem } from '../../packager/manifest/model.js';
import { type PackageFormat, packageManifest } from '../../packager/package-manifest.js';
import { type WebZipSource, zipStream } from '../../packager/zip/web-writer.js';
import type { Course } from '../db/courses.js';
import type { Deployment } from '../db/deployments.js';
import { GatekeeperError } from '../errors.js';
import type { Storage } from '../storage/types.js';
import { deploymentKey } from './keys.js';
import { parseMetadata } from './metadata.js';
import { filesOf } from './queries.js';

/** Manifests a third-party package came with: the export writes its own. */
const MANIFESTS = new Set(['imsmanifest.xml', 'cmi5.xml']);

/** The course as the packager sees it, from what the deployment recorded at deploy time. */
export function packageCourse(course: Course, deployment: Deployment): PackageCourse {
  const m = parseMetadata(deployment.metadata);
  const id = m.id && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(m.id) ? m.id : course.slug;
  return {
    id,
    title: m.title ?? course.title,
    version: m.version ?? '1.0.0',
    entry: deployment.entry,
    ...(m.description === undefined ? {} : { description: m.description }),
    ...(m.language === undefined ? {} : { language: m.language }),
    ...(m.masteryScore === undefined ? {} : { masteryScore: m.masteryScore }),
  };
}

/**
 * Streams a portable SCORM 1.2 / 2004 / cmi5 package of a finalized deployment, read from storage file
 * by file (never whole into memory). `_coursegate/` (the gated player) stays out. Web streams only, so
 * the Node server and the Worker serve the same export.
 */
export function exportDeployment(
  storage: Storage,
  course: Course,
  deployment: Deployment,
  format: PackageFormat,
): ReadableStream<Uint8Array> {
  if (deployment.finalizedAt === null)
    throw new GatekeeperError(409, 'conflict', 'The deployment is not finalized yet');
  const meta = parseMetadata(deployment.metadata);
  const files: WebZipSource[] = filesOf(deployment)
    .filter((f) => !MANIFESTS.has(f.path))
    .map((f) => ({
      path: f.path,
      size: f.size,
      open: async () => {
        const got = await storage.get(deploymentKey(course.id, deployment.id, f.path));
        if (!got) throw new GatekeeperError(500, 'internal_error', `${f.path} is missing from storage`);
        return got.body;
      },
    }));
  const launchable = (meta.items ?? []).filter((i) => i.kind !== 'asset' && !/^[a-z]+:/i.test(i.launchUrl));
  const items: ManifestItem[] | undefined =
    launchable.length > 1
      ? launchable.map((i) => ({
          title: i.title,
          // A decoded file path (the writers encode it); one recorded percent-encoded by an older
          // inspector is matched to its stored file by `packageManifest`.
          href: i.launchUrl,
          ...(i.masteryScore === undefined ? {} : { masteryScore: i.masteryScore }),
        }))
      : undefined;
  let built: ReturnType<typeof packageManifest<WebZipSource>>;
  try {
    built = packageManifest({
      files,
      course: packageCourse(course, deployment),
      format,
      ...(items ? { items } : {}),
    });
  } catch (err) {
    // What the packager refuses (a launched page missing from the files) is a fact about this
    // deployment, not a server fault: the caller gets the reason, and can export another deployment.
    if (err instanceof PackagerError)
      throw new GatekeeperError(409, 'conflict', `This deployment cannot be exported: ${err.message}`);
    throw err;
  }
  const { files: sorted, manifest } = built;
  return zipStream([
    ...sorted,
    { path: manifest.path, size: manifest.bytes.length, open: () => manifest.bytes },
  ]);
}
