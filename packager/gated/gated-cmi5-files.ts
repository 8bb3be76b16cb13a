import { PackagerError } from '../errors.js';
import { writeCmi5Manifest } from '../manifest/cmi5.js';
import { type GatedCourse, gatedLeaves, toManifestItems } from './gated-course.js';
import type { GatedFile } from './gated-scorm-files.js';

export interface GatedCmi5FilesOptions {
  course: GatedCourse;
  /** Absolute IRI of the course; AU and block ids hang below it. */
  iri: string;
  gatekeeperUrl: string;
  token: string;
}

/** The absolute AU URL of a gated cmi5 package: the Gatekeeper checks the license and redirects. */
export function gatedCmi5AuUrl(gatekeeperUrl: string, token: string): string {
  return `${gatekeeperUrl.replace(/\/$/, '')}/v1/launch/cmi5/${encodeURIComponent(token)}`;
}

/**
 * The one file of a gated cmi5 package, however its zip is written: `cmi5.xml`, whose AU URL is
 * `{gatekeeper}/v1/launch/cmi5/{token}`. The Gatekeeper launches the live deployment's entry, so a
 * gated cmi5 package has one AU per course.
 */
export function gatedCmi5Files(options: GatedCmi5FilesOptions): GatedFile[] {
  const { course } = options;
  const leaves = gatedLeaves(course.items);
  const first = leaves[0];
  if (!first) throw new PackagerError('entry_not_found', 'the course has nothing to launch');
  const url = gatedCmi5AuUrl(options.gatekeeperUrl, options.token);
  const au = { ...first, children: [] };
  const manifest = writeCmi5Manifest(
    {
      id: course.id,
      title: course.title,
      ...(course.description === undefined ? {} : { description: course.description }),
      items: toManifestItems([au], () => url),
      files: [],
    },
    { iri: options.iri },
  );
  return [{ path: 'cmi5.xml', bytes: new TextEncoder().encode(manifest) }];
}
