import { Readable, type Writable } from 'node:stream';
import { writeZipFile } from '../write-package.js';
import { type WriteZipOptions, writeZip, type ZipSummary } from '../zip/writer.js';
import { type GatedCmi5FilesOptions, gatedCmi5Files } from './gated-cmi5-files.js';

export { gatedCmi5AuUrl } from './gated-cmi5-files.js';

export interface GatedCmi5Options extends WriteZipOptions, GatedCmi5FilesOptions {
  output: string | Writable;
}

/**
 * Writes a gated cmi5 zip: only `cmi5.xml`, every AU of the course in its place, each launching through the
 * course's launch page on the content origin, which checks the license with the Gatekeeper. A course with one
 * AU launches the live deployment's entry; with several, each AU names its own entry.
 * @example
 * await writeGatedCmi5Package({ course, iri, launchPageUrl, token, output: 'gated-cmi5.zip' });
 */
export async function writeGatedCmi5Package(options: GatedCmi5Options): Promise<ZipSummary> {
  const files = gatedCmi5Files(options).map(({ path, bytes }) => ({
    path,
    size: bytes.length,
    open: () => Readable.from([bytes]),
  }));
  return typeof options.output === 'string'
    ? writeZipFile(files, options.output, options)
    : writeZip(files, options.output, options);
}
