import { Readable, type Writable } from 'node:stream';
import { PackagerError } from '../errors.js';
import { writeCmi5Manifest } from '../manifest/cmi5.js';
import { writeZipFile } from '../write-package.js';
import { type WriteZipOptions, writeZip, type ZipSummary } from '../zip/writer.js';
import { type GatedCourse, gatedLeaves, toManifestItems } from './gated-course.js';

export interface GatedCmi5Options extends WriteZipOptions {
  course: GatedCourse;
  /** Absolute IRI of the course; AU and block ids hang below it. */
  iri: string;
  gatekeeperUrl: string;
  token: string;
  output: string | Writable;
}

/** The absolute AU URL of a gated cmi5 package: the Gatekeeper checks the license and redirects. */
export function gatedCmi5AuUrl(gatekeeperUrl: string, token: string): string {
  return `${gatekeeperUrl.replace(/\/$/, '')}/v1/launch/cmi5/${encodeURIComponent(token)}`;
}

/**
 * Writes a gated cmi5 zip: only `cmi5.xml`, whose AU URL is `{gatekeeper}/v1/launch/cmi5/{token}`. The
 * Gatekeeper launches the live deployment's entry, so a gated cmi5 package has one AU per course.
 * @example
 * await writeGatedCmi5Package({ course, iri, gatekeeperUrl, token, output: 'gated-cmi5.zip' });
 */
export async function writeGatedCmi5Package(options: GatedCmi5Options): Promise<ZipSummary> {
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
  const bytes = Buffer.from(manifest, 'utf8');
  const files = [{ path: 'cmi5.xml', size: bytes.length, open: () => Readable.from([bytes]) }];
  return typeof options.output === 'string'
    ? writeZipFile(files, options.output, options)
    : writeZip(files, options.output, options);
}
