import type { Database } from '../db/database.js';
import { getSession, type Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import type { TokenService } from '../tokens.js';

const CACHE_LIMIT = 10_000;

/**
 * Resolves `Authorization: Bearer <session token>` to the anonymous session it was issued for.
 * Session rows never change, so they are remembered (bounded); the token itself is checked every time.
 */
export function createSessionAuth(deps: { db: Database; tokens: TokenService; now: () => Date }) {
  let cache = new Map<string, Session>();
  return async (authorization: string | undefined): Promise<Session> => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const claims = token ? deps.tokens.verifySessionToken(token, deps.now().getTime()) : undefined;
    if (!claims) throw new GatekeeperError(401, 'unauthorized', 'Send a valid session token as Bearer');
    let session = cache.get(claims.sessionId);
    if (!session) {
      session = await getSession(deps.db, claims.sessionId);
      if (!session) throw new GatekeeperError(401, 'unauthorized', 'Unknown session');
      if (cache.size >= CACHE_LIMIT) cache = new Map();
      cache.set(session.id, session);
    }
    return session;
  };
}

export type SessionAuth = ReturnType<typeof createSessionAuth>;
