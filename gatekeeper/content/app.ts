import { type Context, Hono } from 'hono';
import { CMI5_LAUNCH_PAGE_CACHE, isCmi5LaunchPageKey } from '../deployments/cmi5-launch-page.js';
import { isFault } from '../faults.js';
import { contentTypeFor } from '../storage/content-types.js';
import { acceptedEncodings, isCompressible } from '../storage/encodings.js';
import type { ObjectInfo, Storage } from '../storage/types.js';
import type { HostAccess } from './host-access.js';
import { keyFromPath } from './key-from-path.js';
import { parseRange } from './range.js';

export interface ContentAppDeps {
  storage: Storage;
  /** Which keys each `Host` may serve (content/host-access.ts); without it, every key on any host. */
  access?: HostAccess;
}

/**
 * Deployments never change once finalized (docs/deployments.md, "Deploy"), so every file can be cached
 * for good.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Headers of every answer, 404s included. */
const BASE_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/** The 404 of the content origin; not cacheable, since a staged deployment may still be uploading. */
export function notFoundResponse(head = false): Response {
  return new Response(head ? null : 'Not found', {
    status: 404,
    headers: { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function objectHeaders(key: string, info: ObjectInfo): Record<string, string> {
  // The extension decides: a stored type set by an uploader never turns a .png into a page.
  const type = contentTypeFor(key) ?? info.contentType;
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'content-type': type,
    // The course-level cmi5 launch page is the one object that is not part of a frozen deployment.
    'cache-control': isCmi5LaunchPageKey(key) ? CMI5_LAUNCH_PAGE_CACHE : IMMUTABLE,
    'accept-ranges': 'bytes',
    etag: info.etag,
  };
  if (info.lastModified) headers['last-modified'] = info.lastModified.toUTCString();
  // Which bytes a compressible type is sent as depends on Accept-Encoding, identity answers included.
  if (isCompressible(type)) headers.vary = 'Accept-Encoding';
  if (info.encoding) headers['content-encoding'] = info.encoding;
  return headers;
}

const etagMatches = (header: string | undefined, etag: string) =>
  (header ?? '').split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === etag;
  });

async function serve(c: Context, deps: ContentAppDeps, head: boolean): Promise<Response> {
  const { storage } = deps;
  const key = keyFromPath(new URL(c.req.url).pathname);
  if (key === null) return notFoundResponse(head);
  // Another org's file on this host answers as if it did not exist: nothing tells the origins apart.
  if (deps.access && !(await deps.access(c.req.header('host') ?? '', key))) return notFoundResponse(head);
  // A range names bytes of the object itself, so a range request is answered without content coding
  // (and a stale If-Range then gets the whole object, as it would anyway).
  const wantsRange = c.req.header('range') !== undefined;
  const encodings = wantsRange ? [] : acceptedEncodings(c.req.header('accept-encoding'));
  const info = await storage.head(key, encodings.length > 0 ? { encodings } : undefined);
  if (!info) return notFoundResponse(head);
  const headers = objectHeaders(key, info);

  if (etagMatches(c.req.header('if-none-match'), info.etag))
    return new Response(null, { status: 304, headers });

  if (info.encoding) {
    headers['content-length'] = String(info.size);
    if (head) return new Response(null, { status: 200, headers });
    const got = await storage.get(key, { encoding: info.encoding });
    if (!got) return notFoundResponse();
    return new Response(got.body, { status: 200, headers });
  }

  const ifRange = c.req.header('if-range');
  const rangeHeader = ifRange === undefined || ifRange === info.etag ? c.req.header('range') : undefined;
  const range = parseRange(rangeHeader, info.size);
  if (range.kind === 'unsatisfiable') {
    return new Response(null, {
      status: 416,
      headers: { ...headers, 'content-range': `bytes */${info.size}` },
    });
  }
  if (range.kind === 'range') {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    if (head) return new Response(null, { status: 206, headers });
    const got = await storage.get(key, { range: { start: range.start, end: range.end } });
    if (!got) return notFoundResponse();
    return new Response(got.body, { status: 206, headers });
  }
  headers['content-length'] = String(info.size);
  if (head) return new Response(null, { status: 200, headers });
  const got = await storage.get(key);
  if (!got) return notFoundResponse();
  return new Response(got.body, { status: 200, headers });
}

/**
 * The content origin: `GET`/`HEAD /courses/<course>/<deployment>/<path>` straight from storage, with
 * immutable caching, `nosniff`, byte ranges, and the compressed variant `Accept-Encoding` asks for when the
 * store keeps one (gzip, br; `storage/encodings.ts`). No listings, nothing outside `courses/`, every
 * traversal spelling answers 404. Serve it on its own origin (docs/storage.md, "The content origin"): course
 * pages run third-party script; with `access`, each org's courses only on that org's host.
 *
 * @example
 * const app = createContentApp({ storage });
 * const res = await app.request('/courses/intro/d1/index.html');
 */
export function createContentApp(deps: ContentAppDeps) {
  const app = new Hono();
  // Hono routes HEAD to the GET handler and drops the body; answering it from `head()` never opens the file.
  app.get('*', (c) => serve(c, deps, c.req.method === 'HEAD'));
  app.all(
    '*',
    () =>
      new Response('Method not allowed', { status: 405, headers: { ...BASE_HEADERS, allow: 'GET, HEAD' } }),
  );
  // A store that is down or a full disk is a 503 the browser may retry (Retry-After), not a server bug.
  app.onError((err) => {
    const fault = isFault(err) ? err : undefined;
    return new Response(fault ? fault.message : 'Internal error', {
      status: fault ? 503 : 500,
      headers: {
        ...BASE_HEADERS,
        'cache-control': 'no-store',
        ...(fault ? { 'retry-after': String(fault.retryAfter) } : {}),
      },
    });
  });
  return app;
}

export type ContentApp = ReturnType<typeof createContentApp>;
