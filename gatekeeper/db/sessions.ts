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

/** The session insert, prepared once for the launch path; values are named like the columns. */
export function prepareSessionInsert(db: Database): (row: Session) => readonly [PreparedWrite, Session] {
  const p = sql.placeholder;
  const write = db.orm
    .insert(sessions)
    .values({
      id: p('id'),
      orgId: p('orgId'),
      licenseId: p('licenseId'),
      courseId: p('courseId'),
      deploymentId: p('deploymentId'),
      standard: p('standard'),
      createdAt: p('createdAt'),
      expiresAt: p('expiresAt'),
    })
    .prepare() as unknown as PreparedWrite;
  return (row) => [write, row] as const;
}
