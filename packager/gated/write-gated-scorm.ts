import { Readable, type Writable } from 'node:stream';
import { writeZipFile } from '../write-package.js';
import { type WriteZipOptions, writeZip, type ZipSource, type ZipSummary } from '../zip/writer.js';
import { type GatedScormFilesOptions, gatedScormFiles } from './gated-scorm-files.js';

export interface GatedScormOptions extends WriteZipOptions, GatedScormFilesOptions {
  /** A file path (written atomically) or a stream (not ended). */
  output: string | Writable;
}

/**
 * Writes a gated SCORM zip: `imsmanifest.xml` keeping the course's organization, one launch page per
 * SCO (`index.html` for a single SCO, `sco-<n>.html` otherwise) and `coursegate-stub.js`. No course content.
 * @example
 * await writeGatedScormPackage({ course, format: 'scorm12', gatekeeperUrl, token, stubScript, output: 'gated.zip' });
 */
export async function writeGatedScormPackage(options: GatedScormOptions): Promise<ZipSummary> {
  const files: ZipSource[] = gatedScormFiles(options).map(({ path, bytes }) => ({
    path,
    size: bytes.length,
    open: () => Readable.from([bytes]),
  }));
  return typeof options.output === 'string'
    ? writeZipFile(files, options.output, options)
    : writeZip(files, options.output, options);
}
