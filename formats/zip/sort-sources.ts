import { FormatError } from '../errors.js';
import { assertSafeEntryName } from './entry-name.js';

/** Sorts and checks sources: unique, safe names, in one order whatever order they were listed in. */
export function sortSources<T extends { path: string }>(sources: T[]): T[] {
  const sorted = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Names that differ only in case or normalisation overwrite each other when an LMS unpacks the zip
  // on a case-insensitive disk, and the reader refuses them: refuse them here already.
  const folded = new Map<string, string>();
  for (const { path } of sorted) {
    assertSafeEntryName(path);
    const key = path.normalize('NFC').toLowerCase();
    const clash = folded.get(key);
    if (clash !== undefined) {
      throw new FormatError(
        'duplicate_entry',
        `two files would be stored as ${path}${clash === path ? '' : ` and ${clash}`}`,
      );
    }
    folded.set(key, path);
  }
  return sorted;
}
