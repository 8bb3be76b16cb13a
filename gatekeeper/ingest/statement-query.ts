import { and, desc, eq, gt, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
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
  /** rowid to continue after (exclusive), from a previous page's `more`. */
  after?: number;
}

export interface StatementPage {
  statements: Record<string, unknown>[];
  /** rowid to pass as `after` for the next page; undefined on the last page. */
  next?: number;
}

const rowid = sql<number>`${statements}.rowid`;

/** One page of an org's statements, newest first unless `ascending`, with `stored` added. */
export async function queryStatements(db: Database, q: StatementQuery): Promise<StatementPage> {
  const where: (SQL | undefined)[] = [eq(statements.orgId, q.orgId)];
  if (q.statementId) where.push(eq(statements.id, q.statementId));
  if (q.courseId) where.push(eq(statements.courseId, q.courseId));
  if (q.sessionId) where.push(eq(statements.sessionId, q.sessionId));
  if (q.verb) where.push(eq(statements.verb, q.verb));
  if (q.since !== undefined) where.push(gt(statements.storedAt, q.since));
  if (q.until !== undefined) where.push(lte(statements.storedAt, q.until));
  if (q.after !== undefined)
    where.push(q.ascending ? sql`${rowid} > ${q.after}` : sql`${rowid} < ${q.after}`);
  const rows = await db.orm
    .select({ rowid, body: statements.body, storedAt: statements.storedAt })
    .from(statements)
    .where(and(...where))
    .orderBy(q.ascending ? rowid : desc(rowid))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    statements: page.map((r) => ({
      ...(JSON.parse(r.body) as Record<string, unknown>),
      stored: new Date(r.storedAt).toISOString(),
    })),
    ...(rows.length > q.limit && last ? { next: last.rowid } : {}),
  };
}
