import { readCmi5Structure } from '../formats/inspect/cmi5.js';
import { readScormManifest } from '../formats/inspect/scorm.js';
import type { PackageInfo } from '../formats/inspect/types.js';
import { parseXml } from '../formats/xml/parse.js';
import { PackagerError } from './errors.js';
import type { ZipLimits } from './zip/limits.js';
import { openSafeZip, type SafeEntry } from './zip/reader.js';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * The manifest at the root; else, for zips some tools make by compressing the course folder itself, the
 * one manifest inside a single top-level folder.
 */
function findManifest(entries: SafeEntry[]): SafeEntry {
  for (const name of ['imsmanifest.xml', 'cmi5.xml']) {
    const atRoot = entries.find((e) => e.name === name);
    if (atRoot) return atRoot;
  }
  const nested = entries.filter((e) => /^[^/]+\/(imsmanifest|cmi5)\.xml$/.test(e.name));
  const folders = new Set(nested.map((e) => e.name.slice(0, e.name.indexOf('/'))));
  if (nested.length > 0 && folders.size === 1) {
    return nested.find((e) => e.name.endsWith('imsmanifest.xml')) ?? nested[0]!;
  }
  throw new PackagerError('invalid_package', 'no imsmanifest.xml or cmi5.xml at the root of the zip');
}

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
    const manifest = findManifest(safe.entries);
    const xml = (await safe.readBuffer(manifest, MAX_MANIFEST_BYTES)).toString('utf8');
    const root = parseXml(xml);
    const folder = manifest.name.slice(0, manifest.name.lastIndexOf('/') + 1);
    const info = manifest.name.endsWith('imsmanifest.xml')
      ? readScormManifest(root, folder)
      : readCmi5Structure(root, folder);
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
