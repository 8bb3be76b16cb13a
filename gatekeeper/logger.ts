import type { MiddlewareHandler } from 'hono';

/** One structured log record. */
export type LogEntry = Record<string, string | number | boolean | null | undefined>;
export type Logger = (entry: LogEntry) => void;

const JWT_LIKE = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
const API_KEY_LIKE = /cg_[A-Za-z0-9_-]+/g;

/** Removes anything shaped like a token or an API key (cmi5 launch URLs carry the token in the path). */
export function redact(text: string): string {
  return text.replace(JWT_LIKE, '[token]').replace(API_KEY_LIKE, '[api-key]');
}

/**
 * One JSON line per request: method, path without its query string, status, duration. Never headers or
 * bodies, so neither the Authorization header nor any token can reach the log.
 */
export function requestLog(logger: Logger, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    const started = now();
    await next();
    logger({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: c.req.method,
      path: redact(c.req.path),
      status: c.res.status,
      ms: now() - started,
    });
  };
}
