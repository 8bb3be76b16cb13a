/**
 * Where the gated cmi5 launch page sends the browser. Its URL's parameters (`t`, `au`, the LMS's) are read by
 * `splitLaunchQuery` in protocol/launch-page.ts, re-exported here. Pure string work, so it runs the same in
 * tests and browsers.
 */
export { AU_PARAM, type LaunchQuery, splitLaunchQuery, TOKEN_PARAM } from '../../protocol/launch-page.js';

/** An AU path that stays inside the deployment root: relative, no `..`, no backslash, no scheme. */
export function isConfinedPath(path: string): boolean {
  const cut = path.search(/[?#]/);
  const p = cut < 0 ? path : path.slice(0, cut);
  if (p === '' || p.startsWith('/') || /[\\\0]/.test(p) || /^[a-z][a-z0-9+.-]*:/i.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** A stored path as a URL path: each segment percent-encoded, the path's own `?query` kept. */
function encodeEntry(entry: string): string {
  const cut = entry.search(/[?#]/);
  const path = cut < 0 ? entry : entry.slice(0, cut);
  const query = cut < 0 ? '' : entry.slice(cut).replace(/#.*$/, '');
  return path.split('/').map(encodeURIComponent).join('/') + query;
}

/**
 * Where the page sends the browser: the AU (or the course entry) on the content origin, the AU's own query
 * first, then the LMS's launch parameters as they came, and the anonymous session in the fragment.
 * Undefined when the AU path would leave the deployment root or the root is not on `origin`.
 */
export function auTarget(options: {
  contentUrl: string;
  contentBase?: string;
  au?: string;
  lmsQuery: string;
  sessionKey: string;
  sessionToken: string;
  /** The launch page's own origin: the live AU must be on it. */
  origin: string;
}): string | undefined {
  let url: string;
  if (options.au !== undefined) {
    if (!options.contentBase || !isConfinedPath(options.au)) return undefined;
    const base = options.contentBase.replace(/\/?$/, '/');
    url = base + encodeEntry(options.au);
  } else {
    url = options.contentUrl.replace(/#.*$/, '');
  }
  try {
    if (new URL(url).origin !== options.origin) return undefined;
  } catch {
    return undefined;
  }
  const sep = url.includes('?') ? '&' : '?';
  const query = options.lmsQuery ? sep + options.lmsQuery : '';
  return `${url}${query}#${options.sessionKey}=${encodeURIComponent(options.sessionToken)}`;
}
