import type { BridgeStandard } from '../../protocol/bridge.js';
import { renderStubPage, STUB_SCRIPT_NAME } from '../../runtime/stub/render-page.js';
import { PackagerError } from '../errors.js';
import { writeScorm12Manifest } from '../manifest/scorm12.js';
import { type Scorm2004Edition, writeScorm2004Manifest } from '../manifest/scorm2004.js';
import { type GatedCourse, type GatedItem, gatedLeaves, toManifestItems } from './gated-course.js';

export interface GatedScormFilesOptions {
  course: GatedCourse;
  format: BridgeStandard;
  /** SCORM 2004 edition; default 3 (what most LMSs import). */
  edition?: Scorm2004Edition;
  /** Gatekeeper base URL the stub calls (`{gatekeeperUrl}/v1/launch`). */
  gatekeeperUrl: string;
  /** The license token embedded in every launch page. */
  token: string;
  /** The built stub (`dist/stub/stub.js`). */
  stubScript: string | Uint8Array;
}

/** One file of a gated package, whole: gated packages are a few kilobytes. */
export interface GatedFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * The files of a gated SCORM package, however its zip is written (a file or Node stream in the CLI,
 * a web stream in the Gatekeeper): `imsmanifest.xml` keeping the course's organization, one launch
 * page per SCO (`index.html` for a single SCO, `sco-<n>.html` otherwise) and `coursegate-stub.js`.
 */
export function gatedScormFiles(options: GatedScormFilesOptions): GatedFile[] {
  const { course, format } = options;
  const leaves = gatedLeaves(course.items);
  if (!leaves.length) throw new PackagerError('entry_not_found', 'the course has nothing to launch');
  const encoder = new TextEncoder();
  const file = (path: string, data: string | Uint8Array): GatedFile => ({
    path,
    bytes: typeof data === 'string' ? encoder.encode(data) : data,
  });
  const pages = new Map<GatedItem, string>(
    leaves.map((leaf, i) => [leaf, leaves.length === 1 ? 'index.html' : `sco-${i + 1}.html`]),
  );
  const files: GatedFile[] = [file(STUB_SCRIPT_NAME, options.stubScript)];
  for (const [leaf, page] of pages) {
    const html = renderStubPage({
      gatekeeperUrl: options.gatekeeperUrl,
      token: options.token,
      standard: format,
      entry: leaf.entry!,
      title: leaf.title || course.title,
    });
    files.push(file(page, html));
  }
  const input = {
    id: course.id,
    title: course.title,
    ...(course.description === undefined ? {} : { description: course.description }),
    items: toManifestItems(course.items, (leaf) => pages.get(leaf)!),
    files: files.map((f) => f.path).sort(),
  };
  const manifest =
    format === 'scorm12' ? writeScorm12Manifest(input) : writeScorm2004Manifest(input, options.edition ?? 3);
  files.push(file('imsmanifest.xml', manifest));
  return files;
}
