import type { Database } from '../db/database.js';
import { findIngestKey, type IngestKey, isIngestKey } from '../db/ingest-keys.js';
import { getSession, insertSessionStatement, type Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { type RateLimiter, takeOrRefuse } from '../http/rate-limit.js';

/** `sessions.standard` of the anonymous sessions ingest keys open: no launch, so no LMS standard known. */
export const PORTABLE_STANDARD = 'portable';
/** The browser's own session id: a v4 UUID it drew itself (launched sessions are `ses_…`). */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Splits `<ingest key>.<session id>`, the bearer credential of a portable package: one string, so the
 * runtime's outbox stores and replays it exactly like a session token.
 */
export function parseKeyCredential(credential: string): { key: string; sessionId: string } | undefined {
  const dot = credential.indexOf('.');
  if (dot < 0) return undefined;
  const key = credential.slice(0, dot);
  const sessionId = credential.slice(dot + 1);
  return isIngestKey(key) ? { key, sessionId } : undefined;
}

/**
 * Resolves an ingest key and a browser-generated session id to an anonymous session of the key's
 * course, creating the row on first sight. The key is looked up on every request, so a revoke applies
 * to the very next one; a refused request writes nothing.
 */
export function createKeySessionAuth(deps: {
  db: Database;
  now: () => Date;
  sessionTtlMs: number;
  /** Bounds new sessions per key (keyed by key id), as launches are bounded per license. */
  newSessions?: RateLimiter;
  remember: (session: Session) => void;
  recall: (id: string) => Session | undefined;
}) {
  function check(key: IngestKey, session: Session): Session {
    // A session id belongs to the course whose key opened it; no key reaches a launched session.
    if (
      session.standard !== PORTABLE_STANDARD ||
      session.orgId !== key.orgId ||
      session.courseId !== key.courseId
    )
      throw new GatekeeperError('unauthorized', 'This session belongs to another course');
    return session;
  }

  return async (credential: { key: string; sessionId: string }): Promise<Session> => {
    const key = await findIngestKey(deps.db, credential.key);
    if (!key) throw new GatekeeperError('unauthorized', 'Unknown ingest key');
    if (key.revokedAt !== null)
      throw new GatekeeperError('ingest_key_revoked', 'This ingest key was revoked');
    if (!SESSION_ID.test(credential.sessionId))
      throw new GatekeeperError('unauthorized', 'The session id after the ingest key must be a v4 UUID');
    const known = deps.recall(credential.sessionId) ?? (await getSession(deps.db, credential.sessionId));
    if (known) {
      deps.remember(known);
      return check(key, known);
    }
    const at = deps.now().getTime();
    // The key is public (it ships in the package): without a bound, anyone could open sessions at will.
    if (deps.newSessions)
      takeOrRefuse(deps.newSessions, key.id, at, 'Too many new sessions for this ingest key; retry later');
    await insertSessionStatement(deps.db, {
      id: credential.sessionId,
      orgId: key.orgId,
      // The key stands where a launched session names its license: what let the session in.
      licenseId: key.id,
      courseId: key.courseId,
      deploymentId: '',
      standard: PORTABLE_STANDARD,
      createdAt: at,
      expiresAt: at + deps.sessionTtlMs,
    }).onConflictDoNothing();
    const session = await getSession(deps.db, credential.sessionId);
    if (!session) throw new GatekeeperError('unauthorized', 'Unknown session');
    deps.remember(session);
    return check(key, session);
  };
}
