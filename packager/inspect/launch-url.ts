const PLACEHOLDER = 'http://package.invalid/';

/** Joins xml:base values and an href the way a browser resolves them, relative to the package root. */
export function resolveHref(bases: (string | undefined)[], href: string): string {
  let url = new URL(PLACEHOLDER);
  try {
    for (const base of bases) if (base) url = new URL(base, url);
    url = new URL(href, url);
  } catch {
    return href;
  }
  const full = url.href;
  return full.startsWith(PLACEHOLDER) ? full.slice(PLACEHOLDER.length) : full;
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
