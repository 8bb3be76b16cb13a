import type { Database } from '../db/database.js';
import { getSession, prepareSessionInsert, type Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { type RateLimiter, takeOrRefuse } from '../http/rate-limit.js';
import type { TokenService } from '../tokens.js';
import { createKeySessionAuth, parseKeyCredential } from './key-session.js';

const CACHE_LIMIT = 10_000;
const DEFAULT_TTL_SECONDS = 8 * 3600;

/**
 * Resolves `Authorization: Bearer <session token>` to the anonymous session it was issued for, or
 * `Bearer <ingest key>.<session id>` (portable packages) to that anonymous session of the key's course.
 * Session rows never change, so they are remembered (bounded); tokens and keys are checked every time.
 * A launched session's row is written here, from its token, when its first request arrives.
 */
export function createSessionAuth(deps: {
  db: Database;
  tokens: TokenService;
  now: () => Date;
  config?: { sessionTtlSeconds?: number };
  limits?: { perLicense: RateLimiter; perSession?: RateLimiter };
}) {
  let cache = new Map<string, Session>();
  const recordSession = prepareSessionInsert(deps.db, { ifAbsent: true });
  const remember = (session: Session) => {
    if (cache.size >= CACHE_LIMIT) cache = new Map();
    cache.set(session.id, session);
  };
  const byKey = createKeySessionAuth({
    db: deps.db,
    now: deps.now,
    sessionTtlMs: (deps.config?.sessionTtlSeconds ?? DEFAULT_TTL_SECONDS) * 1000,
    ...(deps.limits ? { newSessions: deps.limits.perLicense } : {}),
    remember,
    recall: (id) => cache.get(id),
  });
  // One bucket per session across statements, errors and reports: a flood from one session token
  // degrades to 429 (which the runtime's outbox retries) before it reaches the database.
  const limited = (session: Session): Session => {
    if (deps.limits?.perSession)
      takeOrRefuse(
        deps.limits.perSession,
        session.id,
        deps.now().getTime(),
        'Too many requests for this session; retry later',
      );
    return session;
  };
  return async (authorization: string | undefined): Promise<Session> => limited(await resolve(authorization));

  async function resolve(authorization: string | undefined): Promise<Session> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const keyCredential = token ? parseKeyCredential(token) : undefined;
    if (keyCredential) return byKey(keyCredential);
    const claims = token ? deps.tokens.verifySessionToken(token, deps.now().getTime()) : undefined;
    if (!claims) throw new GatekeeperError('unauthorized', 'Send a valid session token as Bearer');
    let session = cache.get(claims.sessionId);
    if (!session) {
      session = await getSession(deps.db, claims.sessionId);
      // A launch writes no session row (its launch event holds the session id); the token carries the
      // whole row, so the first request of the session writes it.
      if (!session && claims.session) {
        await deps.db.batchPrepared([recordSession(claims.session)]);
        session = claims.session;
      }
      if (!session) throw new GatekeeperError('unauthorized', 'Unknown session');
      remember(session);
    }
    return session;
  }
}

export type SessionAuth = ReturnType<typeof createSessionAuth>;
