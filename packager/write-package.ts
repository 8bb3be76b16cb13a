import { closeSync, openSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import type { Course } from '../formats/course/course.js';
import type { ManifestItem } from '../formats/manifest/model.js';
import { type PackageFormat, packageManifest } from '../formats/manifest/package-manifest.js';
import type { Scorm2004Edition } from '../formats/manifest/scorm2004.js';
import { PackagerError } from './errors.js';
import { type WriteZipOptions, writeZip, type ZipSource, type ZipSummary } from './zip/writer.js';

export {
  manifestName,
  PACKAGE_FORMATS,
  type PackageFormat,
  renderManifest,
} from '../formats/manifest/package-manifest.js';

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

/**
 * Writes a standard package from any list of files (local disk, storage, generated) plus course
 * metadata: the manifest is generated and added, the zip is deterministic and streamed.
 * @example
 * await writeStandardPackage({ files, course, format: 'scorm2004', output: 'intro.zip' });
 */
export async function writeStandardPackage(options: WritePackageOptions): Promise<ZipSummary> {
  const { files, manifest } = packageManifest(options);
  const all: ZipSource[] = [
    ...files,
    { path: manifest.path, size: manifest.bytes.length, open: () => Readable.from([manifest.bytes]) },
  ];
  return typeof options.output === 'string'
    ? writeZipFile(all, options.output, options)
    : writeZip(all, options.output, options);
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
