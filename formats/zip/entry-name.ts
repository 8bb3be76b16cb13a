import { FormatError } from '../errors.js';

/**
 * Checks a zip entry name is a plain relative path: forward slashes, no `..` or `.` segments, no
 * absolute path, drive letter, backslash, NUL or empty segment. Throws `unsafe_path` naming the entry.
 * Directory entries may end with one `/`.
 */
export function assertSafeEntryName(name: string): void {
  const why = unsafeReason(name);
  if (why) throw new FormatError('unsafe_path', `unsafe path in zip: ${JSON.stringify(name)} (${why})`);
}

function unsafeReason(name: string): string | undefined {
  if (name === '') return 'empty name';
  if (name.includes('\0')) return 'NUL byte';
  if (name.includes('\\')) return 'backslash';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive letter';
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  for (const segment of trimmed.split('/')) {
    if (segment === '..') return 'parent directory segment';
    if (segment === '.' || segment === '') return 'empty or "." segment';
  }
  return undefined;
}
