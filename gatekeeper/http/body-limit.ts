import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatekeeperError } from '../errors.js';
import { requestHeader } from './request-header.js';

const tooLarge = (): never => {
  throw new GatekeeperError('payload_too_large', 'Request body too large');
};

/**
 * hono/body-limit, with the common case decided from `Content-Length` alone: hono's middleware first
 * touches `req.body`, which on Node turns the request into a web stream and costs the launch path a
 * large share of its time. Chunked bodies still go through hono's counting reader.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = requestHeader(c, 'content-length');
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
      if (Number(length) > maxSize) tooLarge();
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return counting(c, next);
  };
}
