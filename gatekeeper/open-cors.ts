import type { MiddlewareHandler } from 'hono';

/**
 * CORS for a public POST endpoint: any origin, no credentials. Written out rather than hono/cors, which
 * creates the response before the handler runs and then has to copy it, a cost every launch paid.
 */
export function openCors(options: {
  methods: string;
  headers: string;
  maxAgeSeconds: number;
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
    // Set before the handler runs, so it lands on whatever response comes back, errors included.
    c.header('access-control-allow-origin', '*');
    await next();
  };
}
