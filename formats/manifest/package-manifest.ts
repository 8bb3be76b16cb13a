import type { Course } from '../course/course.js';
import { courseIri } from '../course/course-iri.js';
import { FormatError } from '../errors.js';
import { decodePath } from '../inspect/launch-url.js';
import { sortSources } from '../zip/sort-sources.js';
import { writeCmi5Manifest } from './cmi5.js';
import { isAbsoluteUrl, type ManifestInput, type ManifestItem } from './model.js';
import { writeScorm12Manifest } from './scorm12.js';
import { type Scorm2004Edition, writeScorm2004Manifest } from './scorm2004.js';

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
  throw new FormatError(
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

/**
 * The file a launch path names among `paths`: as written, else percent-decoded, else the same text in
 * another Unicode normalization form. Launch paths are file paths (decoded) and the writers encode them,
 * but a deployment recorded while inspected launch URLs were still percent-encoded (`le%C3%A7on%202.html`),
 * or a manifest in NFC over a zip written in NFD, must still export: every course stays exportable.
 */
function fileLookup(paths: string[]): (path: string) => string | undefined {
  const exact = new Set(paths);
  const normalized = new Map<string, string>();
  for (const p of paths) if (!normalized.has(p.normalize('NFC'))) normalized.set(p.normalize('NFC'), p);
  return (path) => {
    if (exact.has(path)) return path;
    const decoded = decodePath(path);
    if (exact.has(decoded)) return decoded;
    return normalized.get(decoded.normalize('NFC'));
  };
}

/**
 * The items with each leaf's launch path replaced by the stored file it names (its `?query#fragment`
 * kept as written), so the manifest writers encode a file name exactly once; a page missing from the
 * files is refused by name.
 */
function onStoredPaths(items: ManifestItem[], find: (path: string) => string | undefined): ManifestItem[] {
  return items.map((item) => {
    if (item.children?.length) return { ...item, children: onStoredPaths(item.children, find) };
    if (!item.href || isAbsoluteUrl(item.href)) return item;
    const cut = item.href.search(/[?#]/);
    const path = cut < 0 ? item.href : item.href.slice(0, cut);
    const stored = find(path);
    if (stored === undefined)
      throw new FormatError('entry_not_found', `entry page "${path}" is not in the package`);
    return stored === path ? item : { ...item, href: stored + (cut < 0 ? '' : item.href.slice(cut)) };
  });
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
    throw new FormatError(
      'unknown_standard',
      `unknown format "${String(format)}" (use scorm12, scorm2004 or cmi5)`,
    );
  }
  const name = manifestName(format);
  const files = sortSources(options.files);
  if (files.some((f) => f.path === name)) {
    throw new FormatError('duplicate_entry', `the input already has ${name}; the packager writes its own`);
  }
  const paths = files.map((f) => f.path);
  const items = onStoredPaths(
    options.items ?? [
      {
        title: course.title,
        href: course.entry,
        ...(course.description === undefined ? {} : { description: course.description }),
        ...(course.masteryScore === undefined ? {} : { masteryScore: course.masteryScore }),
      },
    ],
    fileLookup(paths),
  );
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
