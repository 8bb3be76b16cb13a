import { eq } from 'drizzle-orm';
import type { Database } from './database.js';
import { sessions } from './schema.js';

export type Session = typeof sessions.$inferSelect;

export function insertSessionStatement(db: Database, row: Session) {
  return db.orm.insert(sessions).values(row);
}

export async function getSession(db: Database, id: string): Promise<Session | undefined> {
  return db.orm.select().from(sessions).where(eq(sessions.id, id)).get();
}
