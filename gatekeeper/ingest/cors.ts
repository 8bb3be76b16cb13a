import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/database.js';
import { orgContentUrlOf, orgOfContentHost } from '../db/orgs.js';
import { contentOriginsOf, orgContentUrl, orgOfTemplateHost } from '../orgs/content-url.js';

const ALLOW_HEADERS = 'authorization, content-type, x-experience-api-version';
/** An ingest-key credential (`cgi_…`): portable packages send it from whatever origin their LMS serves. */
const KEY_BEARER = /^Bearer\s+cgi_/i;

/** The `org` claim of a session token, read without verifying it: the route verifies it. */
function claimedOrg(authorization: string | undefined): string | undefined {
  const payload = /^Bearer\s+[^.\s]+\.([^.\s]+)\./i.exec(authorization ?? '')?.[1];
  if (!payload) return undefined;
  try {
    const org = (JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { org?: unknown }).org;
    return typeof org === 'string' ? org : undefined;
  } catch {
    return undefined;
  }
}

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
};

/**
 * CORS for the ingest routes. Gated courses call them from their org's content origin; portable packages
 * with an ingest key call them from any LMS origin, which a preflight cannot tell apart (it carries header
 * names, not values, and no token). So every origin gets a preflight for `POST` (content origins for `GET`
 * and `PUT` too), but an answer is readable by another origin only when the request carried an ingest key,
 * or a session token of the org whose content origin it is (or the shared one, which still serves courses
 * deployed before the split): never another org's. No credentials (cookies) ever: the session token or
 * key travels in `Authorization`.
 */
export function ingestCors(deps: {
  db: Database;
  config: { contentUrl: string; orgContentUrl?: string | undefined };
}): MiddlewareHandler {
  const origins = contentOriginsOf(deps.config);
  const shared = new URL(origins.shared).origin;
  const ownOrigin = (org: string, url: string | null) =>
    new URL(orgContentUrl(origins, { id: org, contentUrl: url })).origin;
  const isContentOrigin = async (from: string) =>
    from === shared ||
    orgOfTemplateHost(origins.template, hostOf(from)) !== undefined ||
    (await orgOfContentHost(deps.db, hostOf(from))) !== undefined;
  /**
   * Whether `from` is the content origin of the org the token names (the template's needs no read); with
   * no readable token, any content origin: the answer is then a refusal that holds nothing.
   */
  const isOrgOrigin = async (from: string, org: string | undefined) => {
    if (org === undefined) return isContentOrigin(from);
    if (from === shared || from === ownOrigin(org, null)) return true;
    const url = await orgContentUrlOf(deps.db, org);
    return url !== null && from === ownOrigin(org, url);
  };
  const preflight = (from: string, methods: string) =>
    new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': from,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': ALLOW_HEADERS,
        'access-control-max-age': '86400',
        vary: 'Origin',
      },
    });
  return async (c, next) => {
    const from = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      if (!from) return c.body(null, 403);
      return preflight(from, (await isContentOrigin(from)) ? 'GET, POST, PUT' : 'POST');
    }
    const authorization = c.req.header('authorization');
    if (
      from &&
      (KEY_BEARER.test(authorization ?? '') || (await isOrgOrigin(from, claimedOrg(authorization))))
    ) {
      c.header('access-control-allow-origin', from);
      c.header('access-control-expose-headers', 'x-experience-api-consistent-through, retry-after');
      c.header('vary', 'Origin');
    }
    await next();
  };
}
