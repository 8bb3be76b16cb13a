/**
 * The gated cmi5 launch page's URL: `…/cmi5-launch.html?t=<license token>[&au=<AU path>]&<the LMS's launch
 * parameters>`. The packager writes `t` and `au`; the LMS appends `endpoint`, `fetch`, `actor`,
 * `registration` and `activityId` (cmi5 §8.1). Pure string work, so it runs the same in tests and browsers.
 */

/** Query names the packager writes into the AU URL of a gated cmi5 package. */
export const TOKEN_PARAM = 't';
export const AU_PARAM = 'au';

export interface LaunchQuery {
  token: string;
  /** The AU's launch path relative to the deployment root (multi-AU courses); absent: the course entry. */
  au?: string;
  /** Everything else, byte for byte and in order: the LMS's launch parameters, never decoded or sent on. */
  lmsQuery: string;
}

function decodePart(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Splits `location.search`: the first `t` and `au` are ours, the rest is the LMS's. Undefined without a token. */
export function splitLaunchQuery(search: string): LaunchQuery | undefined {
  const parts = search.replace(/^\?/, '').split('&');
  const rest: string[] = [];
  let token: string | undefined;
  let au: string | undefined;
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name === TOKEN_PARAM && token === undefined) token = decodePart(value) ?? '';
    else if (name === AU_PARAM && au === undefined) au = decodePart(value) ?? '';
    else if (part !== '') rest.push(part);
  }
  if (!token) return undefined;
  return { token, ...(au === undefined ? {} : { au }), lmsQuery: rest.join('&') };
}

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
