/**
 * Origins as browsers serialize them, for the rules both sides apply: the CLI and the dashboard normalise
 * a license's allowed origins as the Gatekeeper compares them with a request's `Origin`.
 */

/** Whether `value` is exactly a serialized `scheme://host[:port]` origin. */
export function isOrigin(value: string): boolean {
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
