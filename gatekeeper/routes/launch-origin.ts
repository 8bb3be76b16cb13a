/**
 * The origin a launch's `allowedOrigins` is judged on. A SCORM stub posts from the LMS origin, so that is
 * the request's `Origin`. The gated cmi5 launch page posts from the content origin and names the LMS origin
 * it was opened from (`document.referrer`, which a page cannot forge) in `lmsOrigin`: that claim counts only
 * when the request comes from the configured content origin, and then the content origin itself never does.
 *
 * @example
 * judgedOrigin({ requestOrigin: 'https://cdn.example', lmsOrigin: 'https://lms.example', contentOrigin: 'https://cdn.example' });
 * // 'https://lms.example'
 */
export function judgedOrigin(input: {
  requestOrigin: string | null;
  lmsOrigin: string | undefined;
  contentOrigin: string;
}): string | null {
  if (input.requestOrigin !== input.contentOrigin) return input.requestOrigin;
  // From the content origin without a usable claim: as a cmi5 navigation without a Referer, no origin.
  return input.lmsOrigin !== undefined && isOrigin(input.lmsOrigin) ? input.lmsOrigin : null;
}

/** Whether `value` is exactly a serialized `scheme://host[:port]` origin. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * An allowed LMS origin as a browser will send it in `Origin` (lower-case host, no default port, an IDN
 * in punycode), so `https://LMS.example.com:443/` matches the launches it names; null for anything with
 * a path, query, fragment or credentials, or not http(s), which no `Origin` header could ever equal.
 *
 * @example
 * normalizeLmsOrigin('https://LMS.example.com:443/'); // 'https://lms.example.com'
 */
export function normalizeLmsOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    const bare =
      (u.pathname === '/' || u.pathname === '') &&
      !u.search &&
      !u.hash &&
      !u.username &&
      !u.password &&
      !/[?#]$/.test(value);
    return /^https?:$/.test(u.protocol) && bare ? u.origin : null;
  } catch {
    return null;
  }
}

/** The configured content URL's origin (`scheme://host[:port]`), or null when it is not a URL. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
