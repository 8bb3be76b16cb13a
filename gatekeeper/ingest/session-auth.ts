import type { Database } from '../db/database.js';
import {
  prepareSessionInsert,
  prepareSessionOfLicense,
  type Session,
  type SessionOfLicense,
} from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { type RateLimiter, takeOrRefuse } from '../http/rate-limit.js';
import type { TokenService } from '../tokens.js';
import { createKeySessionAuth, parseKeyCredential } from './key-session.js';

const CACHE_LIMIT = 10_000;
const DEFAULT_TTL_SECONDS = 8 * 3600;

/**
 * Resolves `Authorization: Bearer <session token>` to the anonymous session it was issued for, or
 * `Bearer <ingest key>.<session id>` (portable packages) to that anonymous session of the key's course.
 * A launched session's row is read with its license's state on every request, so a revoked or expired
 * license refuses its sessions' next request (403 `license_revoked` / `license_expired`) and nothing of
 * it is stored; the row is written here, from its token, when its first request arrives. Key sessions'
 * rows never change, so they are remembered (bounded); their key is checked every time.
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
  const sessionOfLicense = prepareSessionOfLicense(deps.db);
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
    const found = await sessionOfLicense({ sessionId: claims.sessionId, licenseId: claims.licenseId });
    if (!found) throw new GatekeeperError('unauthorized', 'Unknown session');
    refuseEnded(found, deps.now().getTime());
    let session = found.session ?? undefined;
    // A launch writes no session row (its launch event holds the session id); the token carries the
    // whole row, so the first request of the session writes it.
    if (!session && claims.session) {
      await deps.db.batchPrepared([recordSession(claims.session)]);
      session = claims.session;
    }
    if (!session || session.licenseId !== claims.licenseId)
      throw new GatekeeperError('unauthorized', 'Unknown session');
    return session;
  }
}

/** The launch's refusals, in its order (launch/judge.ts), for a license that ended after the launch. */
function refuseEnded(license: SessionOfLicense, at: number): void {
  if (license.status === 'revoked')
    throw new GatekeeperError('license_revoked', 'The license of this session was revoked');
  if (license.expiresAt !== null && at >= license.expiresAt)
    throw new GatekeeperError('license_expired', 'The license of this session has expired');
}

export type SessionAuth = ReturnType<typeof createSessionAuth>;
