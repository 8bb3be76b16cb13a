/**
 * Where the player lives, derived from the launch answer. The deployment root is, in order:
 * 1. `contentBase` when the Gatekeeper sends it;
 * 2. else, when the config names an entry and `contentUrl`'s path ends with `/` + that entry's path,
 *    `contentUrl` with that suffix removed;
 * 3. else `contentUrl`'s directory (everything up to the last `/` of its path).
 * The entry is the config's `entry`, or else `contentUrl`'s last segment with its query.
 * The player is `{root}_coursegate/player.html`.
 */

export interface ContentTarget {
  /** Content origin, the only origin the stub talks to over the bridge. */
  origin: string;
  /** Deployment root URL, ending in `/`. */
  root: string;
  /** Path relative to the root, query included. */
  entry: string;
  playerUrl: string;
}

export function resolveContent(
  contentUrl: string,
  contentBase?: string,
  entry?: string,
): ContentTarget | undefined {
  let url: URL;
  try {
    url = new URL(contentUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const path = url.pathname;
  // Compared in URL-encoded form, as `pathname` is (an entry may hold spaces or non-ASCII letters).
  const entryPath = entry && new URL(entry, 'http://x/').pathname.slice(1);
  let root: string;
  // The answer is JSON from the network: a non-string contentBase is ignored rather than trusted.
  if (typeof contentBase === 'string' && contentBase) {
    root = contentBase.endsWith('/') ? contentBase : `${contentBase}/`;
  } else if (entryPath && path.endsWith(`/${entryPath}`)) {
    root = url.origin + path.slice(0, path.length - entryPath.length);
  } else {
    root = url.origin + path.slice(0, path.lastIndexOf('/') + 1);
  }
  let base: URL;
  try {
    base = new URL(root);
  } catch {
    return undefined;
  }
  if (base.origin !== url.origin) return undefined;
  const target = entry ?? path.slice(path.lastIndexOf('/') + 1) + url.search;
  // The entry stays inside the deployment: no absolute URL, no leading slash, no `..` segment.
  if (!target || /^[a-z][a-z0-9+.-]*:|^[/\\]|(^|[/\\])\.\.([/\\]|$)/i.test(target)) return undefined;
  return { origin: url.origin, root, entry: target, playerUrl: `${root}_coursegate/player.html` };
}

/**
 * The entry with the launch page's own query and fragment appended: what the LMS launched the page with
 * (the resource href's query and the item's `parameters`), so the content gets what a direct launch gets.
 * Only the query parameters named in `keys` (the ones the manifest launches this page with) go: an LMS
 * that adds its own, such as the learner's id and name, keeps them on its origin. Without `keys`, none.
 * The query joins one the entry already has with `&`; the page's fragment follows (fragments are never
 * sent to a server). A page launched with neither, and any package written before issue 19 (its entry
 * carries the parameters, its config no `keys`), keeps its entry as it is.
 */
export function withPageQuery(entry: string, page: { search: string; hash: string }, keys?: unknown): string {
  const query = page.search
    .slice(1)
    .split('&')
    .filter((p) => Array.isArray(keys) && keys.includes(p.split('=')[0]))
    .join('&');
  return entry + (query && (entry.includes('?') ? '&' : '?') + query) + page.hash;
}
