import { isValidKey } from '../storage/keys.js';

/** The only part of storage the content origin exposes. */
export const CONTENT_PREFIX = 'courses/';

/**
 * The storage key a raw request path names, or `null` when it must answer 404: anything outside
 * `courses/`, a "directory" (trailing `/`), and every traversal spelling (`..`, `%2e%2e`, encoded `/` or
 * `\`, NUL, empty segments, absolute paths). Takes the path as sent, before any URL normalisation.
 *
 * @example
 * keyFromPath('/courses/intro/d1/a%20b.png'); // 'courses/intro/d1/a b.png'
 * keyFromPath('/courses/intro/%2e%2e/x'); // null
 */
export function keyFromPath(rawPath: string): string | null {
  const end = rawPath.search(/[?#]/);
  const path = end === -1 ? rawPath : rawPath.slice(0, end);
  if (!path.startsWith('/') || path.includes('\\')) return null;
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (/[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  const key = segments.join('/');
  if (!key.startsWith(CONTENT_PREFIX) || !isValidKey(key)) return null;
  return key.normalize('NFC');
}
