import type { Course as PackageCourse } from '../../formats/course/course.js';
import { FormatError } from '../../formats/errors.js';
import type { ManifestItem } from '../../formats/manifest/model.js';
import { type PackageFormat, packageManifest } from '../../formats/manifest/package-manifest.js';
import type { Course } from '../db/courses.js';
import type { Deployment } from '../db/deployments.js';
import { GatekeeperError } from '../errors.js';
import { parseMetadata } from './metadata.js';
import { PLAYER_DIR } from './player-files.js';

/** Manifests a third-party package came with: the export writes its own. */
const MANIFESTS = new Set(['imsmanifest.xml', 'cmi5.xml']);
/** Left out of a package: the manifests it came with, and the gated player (a seeded deployment lists it). */
const leftOut = (path: string) => MANIFESTS.has(path) || path.startsWith(`${PLAYER_DIR}/`);

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

export interface ExportManifestOptions<T extends { path: string }> {
  course: Course;
  deployment: Deployment;
  format: PackageFormat;
  /** The deployment's files (the manifests it came with and `_coursegate/` are left out here). */
  files: T[];
}

/**
 * The manifest the portable export writes for a deployment in `format`, and the files it packs beside it
 * (sorted; the manifests it came with and the player left out). The one rule for both the export and a gated package of a
 * deployment that has no manifest of that standard: a gated package is this manifest with its launch files
 * replaced by stub pages. What the packager refuses (a launched page missing from the files) is a 409
 * naming the reason.
 */
export function exportManifest<T extends { path: string }>(
  options: ExportManifestOptions<T>,
): { files: T[]; manifest: { path: string; bytes: Uint8Array } } {
  const { course, deployment, format } = options;
  const meta = parseMetadata(deployment.metadata);
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
  try {
    return packageManifest({
      files: options.files.filter((f) => !leftOut(f.path)),
      course: packageCourse(course, deployment),
      format,
      ...(items ? { items } : {}),
    });
  } catch (err) {
    // A fact about this deployment, not a server fault: the caller gets the reason and can use another.
    if (err instanceof FormatError)
      throw new GatekeeperError(
        'deployment_not_packageable',
        `This deployment cannot be exported: ${err.message}`,
      );
    throw err;
  }
}
