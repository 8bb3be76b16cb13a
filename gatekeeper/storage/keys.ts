import { GatekeeperError } from '../errors.js';

const MAX_KEY_LENGTH = 1024;
const encoder = new TextEncoder();

function invalid(key: string, why: string): GatekeeperError {
  return new GatekeeperError('invalid_storage_key', `Invalid storage key ${JSON.stringify(key)}: ${why}`);
}

/**
 * The one place storage keys are checked: every driver and the content origin call it, so a hostile path is
 * refused the same way everywhere (docs/architecture.md, "Security invariants"). Keys are relative POSIX
 * paths of non-empty segments.
 *
 * @example
 * normalizeKey('courses/intro/d1/index.html'); // 'courses/intro/d1/index.html'
 * normalizeKey('courses/../etc/passwd'); // throws GatekeeperError code 'invalid_storage_key'
 */
export function normalizeKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw invalid(String(key), 'empty');
  // NFC, so a file named on macOS (NFD) and the same name typed elsewhere are one key.
  const k = key.normalize('NFC');
  if (encoder.encode(k).length > MAX_KEY_LENGTH) throw invalid(key, `longer than ${MAX_KEY_LENGTH} bytes`);
  if (k.includes('\0')) throw invalid(key, 'contains NUL');
  if (k.includes('\\')) throw invalid(key, 'contains a backslash');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(k)) throw invalid(key, 'contains a control character');
  if (k.startsWith('/')) throw invalid(key, 'absolute path');
  if (/^[a-zA-Z]:/.test(k)) throw invalid(key, 'drive letter');
  for (const segment of k.split('/')) {
    if (segment === '') throw invalid(key, 'empty path segment');
    if (segment === '.' || segment === '..') throw invalid(key, `"${segment}" segment`);
  }
  return k;
}

/**
 * Checks a listing prefix: `''` (everything) or the start of a key; it may end with `/` or mid-segment.
 */
export function normalizePrefix(prefix: string): string {
  if (prefix === '') return '';
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const normalized = normalizeKey(trimmed);
  return prefix.endsWith('/') ? `${normalized}/` : normalized;
}

/** Whether `key` is acceptable, without throwing (the content origin answers 404 instead). */
export function isValidKey(key: string): boolean {
  try {
    normalizeKey(key);
    return true;
  } catch {
    return false;
  }
}

/**
 * A key as a URL path (no leading `/`): each segment percent-encoded, slashes kept. The content origin
 * and `publicUrl` take keys back out of URLs built this way.
 * @example
 * `${contentUrl}/${keyToUrlPath('courses/c/d1/a b#1.png')}`; // …/courses/c/d1/a%20b%231.png
 */
export function keyToUrlPath(key: string): string {
  return normalizeKey(key).split('/').map(encodeURIComponent).join('/');
}
