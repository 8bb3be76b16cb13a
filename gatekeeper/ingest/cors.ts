import type { MiddlewareHandler } from 'hono';

const ALLOW_HEADERS = 'authorization, content-type, x-experience-api-version';
/** An ingest-key credential (`cgi_…`): portable packages send it from whatever origin their LMS serves. */
const KEY_BEARER = /^Bearer\s+cgi_/i;

/**
 * CORS for the ingest routes. Gated courses call them from the content origin; portable packages with
 * an ingest key call them from any LMS origin, which a preflight cannot tell apart (it carries header
 * names, not values). So every origin gets a preflight for `POST`, but an answer is readable by another
 * origin than the content origin only when the request carried an ingest key. No credentials (cookies)
 * ever: the session token or key travels in `Authorization`.
 */
export function ingestCors(contentUrl: string): MiddlewareHandler {
  const origin = new URL(contentUrl).origin;
  const preflight = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, PUT',
    'access-control-allow-headers': ALLOW_HEADERS,
    'access-control-max-age': '86400',
    vary: 'Origin',
  };
  return async (c, next) => {
    const from = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      if (from === origin) return new Response(null, { status: 204, headers: preflight });
      if (!from) return c.body(null, 403);
      return new Response(null, {
        status: 204,
        headers: {
          ...preflight,
          'access-control-allow-origin': from,
          'access-control-allow-methods': 'POST',
        },
      });
    }
    if (from && (from === origin || KEY_BEARER.test(c.req.header('authorization') ?? ''))) {
      c.header('access-control-allow-origin', from);
      c.header('access-control-expose-headers', 'x-experience-api-consistent-through, retry-after');
      c.header('vary', 'Origin');
    }
    await next();
  };
}
