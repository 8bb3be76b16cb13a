import { AU_PARAM, TOKEN_PARAM } from '../../runtime/cmi5-launch/launch-query.js';
import { PackagerError } from '../errors.js';
import { writeCmi5Manifest } from '../manifest/cmi5.js';
import { type GatedCourse, type GatedItem, gatedLeaves, toManifestItems } from './gated-course.js';
import type { GatedFile } from './gated-scorm-files.js';

export interface GatedCmi5FilesOptions {
  course: GatedCourse;
  /** Absolute IRI of the course; AU and block ids hang below it (ids the course brought are kept). */
  iri: string;
  /** Absolute URL of the course's launch page on the content origin (`…/_coursegate/cmi5-launch.html`). */
  launchPageUrl: string;
  token: string;
}

/**
 * The absolute AU URL of a gated cmi5 package: the launch page with the license token and, for one AU of
 * several, that AU's path relative to the deployment root. The LMS appends its launch parameters.
 * @example
 * gatedCmi5AuUrl('https://cdn.example/courses/c1/_coursegate/cmi5-launch.html', token, 'index.html?pages=2');
 */
export function gatedCmi5AuUrl(launchPageUrl: string, token: string, au?: string): string {
  const auPart = au === undefined ? '' : `&${AU_PARAM}=${encodeURIComponent(au)}`;
  return `${launchPageUrl}?${TOKEN_PARAM}=${encodeURIComponent(token)}${auPart}`;
}

/**
 * The one file of a gated cmi5 package, however its zip is written: `cmi5.xml`, every AU of the course in
 * its place, each launching through the course's launch page on the content origin. A course with one AU
 * launches the live deployment's entry; with several, each AU names its own entry.
 */
export function gatedCmi5Files(options: GatedCmi5FilesOptions): GatedFile[] {
  const { course } = options;
  const leaves = gatedLeaves(course.items);
  const first = leaves[0];
  if (!first) throw new PackagerError('entry_not_found', 'the course has nothing to launch');
  const single = leaves.length === 1;
  const items: GatedItem[] = single ? [{ ...first, children: [] }] : course.items;
  const urlOf = (leaf: GatedItem) =>
    gatedCmi5AuUrl(options.launchPageUrl, options.token, single ? undefined : leaf.entry);
  const manifest = writeCmi5Manifest(
    {
      id: course.id,
      title: course.title,
      ...(course.description === undefined ? {} : { description: course.description }),
      items: toManifestItems(items, urlOf),
      files: [],
    },
    { iri: options.iri },
  );
  return [{ path: 'cmi5.xml', bytes: new TextEncoder().encode(manifest) }];
}
