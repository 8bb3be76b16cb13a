import type { MiddlewareHandler } from 'hono';

/**
 * CORS for the ingest routes: only the content origin (where gated courses run) may call them from a
 * browser. No credentials: the session token travels in `Authorization`, which the preflight allows.
 */
export function ingestCors(contentUrl: string): MiddlewareHandler {
  const origin = new URL(contentUrl).origin;
  const preflight = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, PUT',
    'access-control-allow-headers': 'authorization, content-type, x-experience-api-version',
    'access-control-max-age': '86400',
    vary: 'Origin',
  };
  return async (c, next) => {
    const from = c.req.header('origin');
    if (c.req.method === 'OPTIONS')
      return from === origin ? new Response(null, { status: 204, headers: preflight }) : c.body(null, 403);
    if (from === origin) {
      c.header('access-control-allow-origin', origin);
      c.header('access-control-expose-headers', 'x-experience-api-consistent-through');
      c.header('vary', 'Origin');
    }
    await next();
  };
}
