import type { MiddlewareHandler } from 'hono';
import { API_KEY_PREFIX, findPrincipalByKey, touchApiKey } from '../db/api-keys.js';
import type { Database } from '../db/database.js';
import { GatekeeperError } from '../errors.js';
import type { AppEnv } from '../http/app-types.js';

/** Resolves `Authorization: Bearer cg_…` to the principal whose org every query is scoped to. */
export function authenticate(deps: { db: Database; now: () => Date }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const key = match?.[1];
    if (!key?.startsWith(API_KEY_PREFIX) || key.length > 200)
      throw new GatekeeperError('unauthorized', 'Send an API key as "Authorization: Bearer cg_…"');
    const principal = await findPrincipalByKey(deps.db, key);
    if (!principal) throw new GatekeeperError('unauthorized', 'Unknown or revoked API key');
    await touchApiKey(deps.db, principal.keyId, deps.now().getTime());
    c.set('principal', principal);
    await next();
  };
}
