import type { BridgeStandard } from '../../protocol/bridge.js';
import { FormatError } from '../errors.js';
import { renderStubPage, STUB_SCRIPT_NAME } from '../launch-pages/stub-page.js';
import { parseXml } from '../xml/parse.js';
import { scormLaunches } from './scorm-launches.js';

export interface GatedScormFilesOptions {
  /** The package's `imsmanifest.xml`, kept byte for byte: the deployment's own, or the export's. */
  manifest: Uint8Array;
  standard: BridgeStandard;
  /** Gatekeeper base URL the stub calls (`{gatekeeperUrl}/v1/launch`). */
  gatekeeperUrl: string;
  /** The license token embedded in every launch page. */
  token: string;
  /** The built stub (`dist/stub/stub.js`). */
  stubScript: Uint8Array;
  /** Page title when the launching item has none. */
  title: string;
  /**
   * The live deployment's player page, which each launch page loads in a hidden frame while the stub asks
   * for the launch (`renderStubPage`'s `player`).
   */
  player?: string;
}

/** One file of a gated package, whole: gated packages are a few kilobytes. */
export interface GatedFile {
  path: string;
  bytes: Uint8Array;
}

const MANIFEST = 'imsmanifest.xml';

/**
 * The files of a gated SCORM package, however its zip is written: the manifest as given (byte for byte),
 * `coursegate-stub.js` at the root and a stub page at the very path each launched resource resolves to,
 * so the LMS launches the stub wherever it would have launched the course. The `<file>` lists still name
 * the content, which stays on the content origin.
 * @example
 * gatedScormFiles({ manifest, standard: 'scorm2004', gatekeeperUrl, token, stubScript, title: 'Golf' });
 * // imsmanifest.xml, coursegate-stub.js, shared/launchpage.html
 */
export function gatedScormFiles(options: GatedScormFilesOptions): GatedFile[] {
  const launches = scormLaunches(parseXml(new TextDecoder().decode(options.manifest)));
  if (!launches.length)
    throw new FormatError('entry_not_found', 'the manifest launches no file of the package');
  const files: GatedFile[] = [
    { path: MANIFEST, bytes: options.manifest },
    { path: STUB_SCRIPT_NAME, bytes: options.stubScript },
  ];
  const encoder = new TextEncoder();
  for (const launch of launches) {
    if (launch.path === MANIFEST || launch.path === STUB_SCRIPT_NAME)
      throw new FormatError(
        'invalid_package',
        `the manifest launches "${launch.path}", a file gating writes`,
      );
    const depth = launch.path.split('/').length - 1;
    const html = renderStubPage({
      gatekeeperUrl: options.gatekeeperUrl,
      token: options.token,
      standard: options.standard,
      entry: launch.path,
      title: launch.title || options.title,
      script: '../'.repeat(depth) + STUB_SCRIPT_NAME,
      ...(launch.asset ? { asset: true } : {}),
      ...(launch.query.length ? { query: launch.query } : {}),
      ...(options.player ? { player: options.player } : {}),
    });
    files.push({ path: launch.path, bytes: encoder.encode(html) });
  }
  return files;
}
