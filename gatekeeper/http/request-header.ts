import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from 'hono';

/**
 * One request header. On Node it is read from the IncomingMessage that @hono/node-server passes as
 * `c.env.incoming`: `c.req.header()` first builds a fetch `Headers` of every header the request
 * carries, which the launch path paid on every request while a bare route never does. Elsewhere
 * (`app.request()` in tests, Workers) it is `c.req.header()`.
 */
export function requestHeader(c: Context, name: Lowercase<string>): string | undefined {
  const headers = (c.env as { incoming?: { headers: IncomingHttpHeaders } } | undefined)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
