const PLACEHOLDER = 'http://package.invalid/';

/**
 * A relative URL path as the file path it names inside the package: each segment percent-decoded, so
 * `le%C3%A7on%202.html` and `leçon 2.html` both name the stored file `leçon 2.html`. Manifest writers
 * encode paths again when they write a URL (see `encodeHref` in ../manifest/model.ts), so what is
 * returned here must be decoded exactly once.
 *
 * A segment stays as written when decoding fails (a stray `%`) or would give it a meaning it did not have:
 * a `/` or `\` (a new folder), `?` or `#` (everything downstream cuts a launch URL's query there), NUL, or
 * a `.`/`..` segment. Such a path names no file in a zip, so the deploy or export refuses it by name
 * instead of reading it as another path.
 * @example decodePath('my%20course/le%C3%A7on%202.html') // 'my course/leçon 2.html'
 */
export function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      if (!segment.includes('%')) return segment;
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return segment;
      }
      return /[/\\?#\0]/.test(decoded) || decoded === '.' || decoded === '..' ? segment : decoded;
    })
    .join('/');
}

/**
 * Joins xml:base values and an href the way a browser resolves them, relative to the package root.
 * Inside the package the result is a file path (decoded, see `decodePath`) followed by the URL's own
 * `?query#fragment` exactly as the URL parser encoded it: the path is what is compared with the zip's
 * file names and stored as a deployment's entry, the query is handed to the page as is. An absolute URL
 * elsewhere (`https://cdn…`, cmi5 AUs) is not a file: it stays a URL, encoded.
 */
export function resolveHref(bases: (string | undefined)[], href: string): string {
  let url = new URL(PLACEHOLDER);
  try {
    for (const base of bases) if (base) url = new URL(base, url);
    url = new URL(href, url);
  } catch {
    return href;
  }
  if (!url.href.startsWith(PLACEHOLDER)) return url.href;
  return decodePath(url.pathname.slice(1)) + url.search + url.hash;
}

/**
 * Applies SCORM item `parameters` to a launch URL (SCORM 2004 CAM 3.4.1.4): leading `?`/`&` are dropped,
 * then the rest is joined with `?` or `&` depending on whether the URL has a query; a `#fragment` is
 * appended only when the URL has none.
 */
export function applyParameters(url: string, parameters: string | undefined): string {
  if (!parameters) return url;
  let p = parameters.trim();
  if (p.startsWith('#')) return url.includes('#') ? url : url + p;
  while (p.startsWith('?') || p.startsWith('&')) p = p.slice(1);
  if (p === '') return url;
  const hash = url.indexOf('#');
  const [base, frag] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${p}${frag}`;
}
