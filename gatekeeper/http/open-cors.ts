import type { MiddlewareHandler } from 'hono';

/**
 * CORS for a public POST endpoint: any origin, no credentials. Written out rather than hono/cors, which
 * creates the response before the handler runs and then has to copy it, a cost every launch paid.
 */
export function openCors(options: {
  methods: string;
  headers: string;
  maxAgeSeconds: number;
  /**
   * The route's own POST answers already carry `Access-Control-Allow-Origin` (see `corsJson`): the
   * middleware then adds it only to errors the app's error handler rendered. `c.header()` makes a
   * fetch `Headers` for the response, a cost the launch path would pay on every request.
   */
  postAnswersCarryIt?: boolean;
}): MiddlewareHandler {
  const preflight = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': options.methods,
    'access-control-allow-headers': options.headers,
    'access-control-max-age': String(options.maxAgeSeconds),
    vary: 'Access-Control-Request-Headers',
  };
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: preflight });
    if (options.postAnswersCarryIt && c.req.method === 'POST') {
      await next();
      if (c.error !== undefined) {
        c.header('access-control-allow-origin', '*');
        c.header('access-control-expose-headers', 'retry-after');
      }
      return;
    }
    // Set before the handler runs, so it lands on whatever response comes back, errors included.
    c.header('access-control-allow-origin', '*');
    c.header('access-control-expose-headers', 'retry-after');
    await next();
  };
}

/**
 * A JSON answer with `Access-Control-Allow-Origin: *`, its headers a plain object (which
 * @hono/node-server writes as they are) rather than hono's `c.json()` with a second header, which
 * builds a fetch `Headers`. With `retryAfter` (seconds) it carries `Retry-After`, readable cross-origin.
 */
export function corsJson(body: unknown, status: number, retryAfter?: number): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'access-control-allow-origin': '*',
  };
  if (retryAfter !== undefined) {
    headers['retry-after'] = String(retryAfter);
    headers['access-control-expose-headers'] = 'retry-after';
  }
  return new Response(JSON.stringify(body), { status, headers });
}
