import { closeSync, openSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { type Course, courseIri } from './course.js';
import { PackagerError } from './errors.js';
import { writeCmi5Manifest } from './manifest/cmi5.js';
import { isAbsoluteUrl, type ManifestInput, type ManifestItem } from './manifest/model.js';
import { writeScorm12Manifest } from './manifest/scorm12.js';
import { type Scorm2004Edition, writeScorm2004Manifest } from './manifest/scorm2004.js';
import {
  sortSources,
  type WriteZipOptions,
  writeZip,
  type ZipSource,
  type ZipSummary,
} from './zip/writer.js';

/** The standards a package can be written in. */
export type PackageFormat = 'scorm12' | 'scorm2004' | 'cmi5';
export const PACKAGE_FORMATS: readonly PackageFormat[] = ['scorm12', 'scorm2004', 'cmi5'];

export interface WritePackageOptions extends WriteZipOptions {
  /** The files of the package, without a manifest (it is generated). */
  files: ZipSource[];
  course: Course;
  format: PackageFormat;
  /** SCORM 2004 edition; default 4. */
  edition?: Scorm2004Edition;
  /** Table of contents; default one item launching `course.entry` with the course's mastery score. */
  items?: ManifestItem[];
  /** A file path (written atomically through a temporary name) or a stream (not ended). */
  output: string | Writable;
}

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

/**
 * Writes a standard package from any list of files (local disk, storage, generated) plus course
 * metadata: the manifest is generated and added, the zip is deterministic and streamed.
 * @example
 * await writeStandardPackage({ files, course, format: 'scorm2004', output: 'intro.zip' });
 */
export async function writeStandardPackage(options: WritePackageOptions): Promise<ZipSummary> {
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
  const bytes = Buffer.from(manifest, 'utf8');
  const all: ZipSource[] = [...files, { path: name, size: bytes.length, open: () => Readable.from([bytes]) }];
  return typeof options.output === 'string'
    ? writeZipFile(all, options.output, options)
    : writeZip(all, options.output, options);
}

function flatten(items: ManifestItem[]): string[] {
  return items.flatMap((i) => (i.children?.length ? flatten(i.children) : i.href ? [i.href] : []));
}

/** Writes a zip to `file` through a temporary name, so a failed build never leaves a half zip behind. */
export async function writeZipFile(sources: ZipSource[], file: string, options: WriteZipOptions = {}) {
  const tmp = `${file}.${process.pid}.partial`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const summary = await writeZip(sources, fd, options);
    closeSync(fd);
    fd = undefined;
    await rename(tmp, file);
    return summary;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    await rm(tmp, { force: true });
    if (err instanceof PackagerError) throw err;
    throw new PackagerError('io_error', `writing ${file}: ${(err as Error).message}`);
  }
}
