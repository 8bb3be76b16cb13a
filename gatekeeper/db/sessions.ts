import { eq, sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from './database.js';
import { sessions } from './schema.js';

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
