import { sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from '../db/database.js';
import { lrsQueue } from './tables.js';

/**
 * The ingest's one write for statement forwarding (docs/integrations.md, "Statement forwarding"): a queue
 * row naming a batch's stored statements, in the batch's own transaction, written only where the course
 * has an LRS. One statement per batch, not a trigger per row: a course without forwarding pays one probe
 * of a small table per request and writes nothing.
 */
export function prepareQueueWrite(db: Database): PreparedWrite {
  const p = sql.placeholder;
  return db.orm
    .insert(lrsQueue)
    .select(
      sql`SELECT NULL, ${p('courseId')}, 'statements', ${p('ids')}
          WHERE EXISTS (SELECT 1 FROM lrs_forwarding WHERE course_id = ${p('courseId')})`,
    )
    .prepare() as unknown as PreparedWrite;
}

/** The queue write's parameters for a batch of `courseId`'s statements. */
export const queueParams = (courseId: string, ids: readonly string[]) => ({
  courseId,
  ids: JSON.stringify(ids),
});
