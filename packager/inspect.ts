import { PackagerError } from './errors.js';
import { readCmi5Structure } from './inspect/cmi5.js';
import { readScormManifest } from './inspect/scorm.js';
import type { PackageInfo } from './inspect/types.js';
import { parseXml } from './xml/parse.js';
import type { ZipLimits } from './zip/limits.js';
import { openSafeZip } from './zip/reader.js';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Reads a SCORM 1.2, SCORM 2004 (2nd/3rd/4th edition) or cmi5 zip made by any tool: standard and
 * edition, title, organizations and items, launchable units with resolved launch URLs, mastery score.
 * The zip passes the same safety checks as extraction (hostile names, symlinks, duplicates, bombs).
 * @example
 * const info = await inspectPackage('course.zip');
 * console.log(info.standard, info.edition, info.launchables.map((l) => l.launchUrl));
 */
export async function inspectPackage(
  zip: string | Uint8Array,
  limits: Partial<ZipLimits> = {},
): Promise<PackageInfo> {
  const safe = await openSafeZip(zip, limits);
  try {
    const scorm = safe.entries.find((e) => e.name === 'imsmanifest.xml');
    const cmi5 = safe.entries.find((e) => e.name === 'cmi5.xml');
    const manifest = scorm ?? cmi5;
    if (!manifest) {
      throw new PackagerError('invalid_package', 'no imsmanifest.xml or cmi5.xml at the root of the zip');
    }
    const xml = (await safe.readBuffer(manifest, MAX_MANIFEST_BYTES)).toString('utf8');
    const root = parseXml(xml);
    const info = manifest === scorm ? readScormManifest(root) : readCmi5Structure(root);
    return {
      ...info,
      manifest: manifest.name,
      entries: safe.entries.length,
      declaredBytes: safe.entries.reduce((sum, e) => sum + e.declaredSize, 0),
    };
  } finally {
    safe.close();
  }
}
