import { eq, sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from './database.js';
import { licenses, sessions } from './schema.js';

export type Session = typeof sessions.$inferSelect;

export function insertSessionStatement(db: Database, row: Session) {
  return db.orm.insert(sessions).values(row);
}

export async function getSession(db: Database, id: string): Promise<Session | undefined> {
  return db.orm.select().from(sessions).where(eq(sessions.id, id)).get();
}

/**
 * The session insert, prepared once; values are named like the columns. `ifAbsent` makes a second
 * write of an existing id a no-op: a session row never changes, and the first requests of a session
 * may each try to write it.
 */
export function prepareSessionInsert(
  db: Database,
  options: { ifAbsent?: boolean } = {},
): (row: Session) => readonly [PreparedWrite, Session] {
  const p = sql.placeholder;
  const insert = db.orm.insert(sessions).values({
    id: p('id'),
    orgId: p('orgId'),
    licenseId: p('licenseId'),
    courseId: p('courseId'),
    deploymentId: p('deploymentId'),
    standard: p('standard'),
    createdAt: p('createdAt'),
    expiresAt: p('expiresAt'),
  });
  const write = (options.ifAbsent
    ? insert.onConflictDoNothing()
    : insert
  ).prepare() as unknown as PreparedWrite;
  return (row) => [write, row] as const;
}

/** A launched session's row (absent until its first request writes it) and its license's state now. */
export interface SessionOfLicense {
  status: 'active' | 'revoked';
  expiresAt: number | null;
  session: Session | null;
}

/**
 * The read behind every session-token request: the license's state and the session row, in one
 * primary-key read prepared once. The license is read afresh every time (never cached), so a revoke
 * or an expiry refuses the session's very next request on every instance (docs/telemetry.md,
 * "Revocation ends telemetry"). Undefined when the license does not exist.
 */
export function prepareSessionOfLicense(
  db: Database,
): (ids: { sessionId: string; licenseId: string }) => Promise<SessionOfLicense | undefined> {
  const prepared = db.orm
    .select({ status: licenses.status, expiresAt: licenses.expiresAt, session: sessions })
    .from(licenses)
    .leftJoin(sessions, eq(sessions.id, sql.placeholder('sessionId')))
    .where(eq(licenses.id, sql.placeholder('licenseId')))
    .prepare();
  return async (ids) => (await prepared.get(ids)) as SessionOfLicense | undefined;
}
