import { and, eq, gt, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from '../db/keyset.js';
import { statements } from '../db/schema.js';

export interface StatementQuery {
  orgId: string;
  statementId?: string;
  courseId?: string;
  sessionId?: string;
  verb?: string;
  /** Stored after, ms. */
  since?: number;
  /** Stored at or before, ms. */
  until?: number;
  limit: number;
  ascending?: boolean;
  /** Where the previous page stopped (its last row's stored time and rowid), from its `more` link. */
  after?: Cursor;
}

export interface StatementPage {
  statements: Record<string, unknown>[];
  /** Cursor to pass as `after` for the next page; undefined on the last page. */
  next?: Cursor;
}

const rowid = sql<number>`${statements}.rowid`;

/**
 * One page of an org's statements in (stored, rowid) order, newest first unless `ascending`, with
 * `stored` added. Each filter has an index on it and then `stored_at` (org; org and verb; course;
 * session), so a page is read by key from where the last one stopped, never sorted.
 */
export async function queryStatements(db: Database, q: StatementQuery): Promise<StatementPage> {
  const where: (SQL | undefined)[] = [eq(statements.orgId, q.orgId)];
  if (q.statementId) where.push(eq(statements.id, q.statementId));
  if (q.courseId) where.push(eq(statements.courseId, q.courseId));
  if (q.sessionId) where.push(eq(statements.sessionId, q.sessionId));
  if (q.verb) where.push(eq(statements.verb, q.verb));
  if (q.since !== undefined) where.push(gt(statements.storedAt, q.since));
  if (q.until !== undefined) where.push(lte(statements.storedAt, q.until));
  if (q.after !== undefined) where.push(beyond(statements.storedAt, rowid, q.after, !q.ascending));
  const rows = await db.orm
    .select({ key: rowid, body: statements.body, at: statements.storedAt })
    .from(statements)
    .where(and(...where))
    .orderBy(...walkOrder(statements.storedAt, rowid, !q.ascending))
    .limit(q.limit + 1)
    .all();
  const page = keysetPage(rows, q.limit, (r) => ({
    ...(JSON.parse(r.body) as Record<string, unknown>),
    stored: new Date(r.at).toISOString(),
  }));
  return { statements: page.rows, ...(page.next ? { next: page.next } : {}) };
}
