import type { Course } from './course.js';
import { courseIri } from './course-iri.js';
import { PackagerError } from './errors.js';
import { writeCmi5Manifest } from './manifest/cmi5.js';
import { isAbsoluteUrl, type ManifestInput, type ManifestItem } from './manifest/model.js';
import { writeScorm12Manifest } from './manifest/scorm12.js';
import { type Scorm2004Edition, writeScorm2004Manifest } from './manifest/scorm2004.js';
import { sortSources } from './zip/sort-sources.js';

/** The standards a package can be written in. */
export type PackageFormat = 'scorm12' | 'scorm2004' | 'cmi5';
export const PACKAGE_FORMATS: readonly PackageFormat[] = ['scorm12', 'scorm2004', 'cmi5'];

/** File name of the manifest each format carries at the package root. */
export function manifestName(format: PackageFormat): 'imsmanifest.xml' | 'cmi5.xml' {
  return format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml';
}

/** The manifest text for these files and course. */
export function renderManifest(
  format: PackageFormat,
  input: ManifestInput,
  course: Course,
  edition: Scorm2004Edition = 4,
): string {
  if (format === 'scorm12') return writeScorm12Manifest(input);
  if (format === 'scorm2004') return writeScorm2004Manifest(input, edition);
  if (format === 'cmi5') return writeCmi5Manifest(input, { iri: courseIri(course) });
  throw new PackagerError(
    'unknown_standard',
    `unknown format "${String(format)}" (use scorm12, scorm2004 or cmi5)`,
  );
}

export interface PackageManifestOptions<T extends { path: string }> {
  /** The files of the package, without a manifest (it is generated). */
  files: T[];
  course: Course;
  format: PackageFormat;
  /** SCORM 2004 edition; default 4. */
  edition?: Scorm2004Edition;
  /** Table of contents; default one item launching `course.entry` with the course's mastery score. */
  items?: ManifestItem[];
}

function flatten(items: ManifestItem[]): string[] {
  return items.flatMap((i) => (i.children?.length ? flatten(i.children) : i.href ? [i.href] : []));
}

/**
 * The checks and the manifest of a standard package, apart from how its zip is written (Node streams
 * in the packager, web streams in the Gatekeeper's export): files sorted and checked, every launched
 * page present, and the manifest's path and UTF-8 bytes.
 */
export function packageManifest<T extends { path: string }>(
  options: PackageManifestOptions<T>,
): { files: T[]; manifest: { path: string; bytes: Uint8Array } } {
  const { course, format } = options;
  if (!PACKAGE_FORMATS.includes(format)) {
    throw new PackagerError(
      'unknown_standard',
      `unknown format "${String(format)}" (use scorm12, scorm2004 or cmi5)`,
    );
  }
  const name = manifestName(format);
  const files = sortSources(options.files);
  if (files.some((f) => f.path === name)) {
    throw new PackagerError('duplicate_entry', `the input already has ${name}; the packager writes its own`);
  }
  const paths = files.map((f) => f.path);
  const items = options.items ?? [
    {
      title: course.title,
      href: course.entry,
      ...(course.description === undefined ? {} : { description: course.description }),
      ...(course.masteryScore === undefined ? {} : { masteryScore: course.masteryScore }),
    },
  ];
  for (const leaf of flatten(items).filter((href) => !isAbsoluteUrl(href))) {
    const path = leaf.replace(/[?#].*$/, '');
    if (!paths.includes(path))
      throw new PackagerError('entry_not_found', `entry page "${path}" is not in the package`);
  }
  const manifest = renderManifest(
    format,
    {
      id: course.id,
      title: course.title,
      version: course.version,
      items,
      files: paths,
      ...(course.description === undefined ? {} : { description: course.description }),
      ...(course.language === undefined ? {} : { language: course.language }),
    },
    course,
    options.edition,
  );
  return { files, manifest: { path: name, bytes: new TextEncoder().encode(manifest) } };
}
