import { sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from '../db/database.js';
import { statements } from '../db/schema.js';
import type { Session } from '../db/sessions.js';
import { prepareQueueWrite, queueParams } from '../forwarding/queue.js';
import type { CompletionDelta } from './completion.js';
import { completionParams, prepareCompletionUpsert } from './completion-upsert.js';

export interface StoredRow {
  id: string;
  verb: string;
  /** The statement as JSON; compared byte for byte when the same id comes again. */
  body: string;
}

type Write = readonly [PreparedWrite, Record<string, unknown>];

/**
 * Writes compiled once: statement inserts that ignore an id already stored (a retried batch), and the
 * completion upsert that merges a batch's delta into the session's record. One transaction per batch
 * (`batchPrepared`), shared with concurrent batches by the driver's group commit.
 */
export function createStatementStore(db: Database) {
  const p = sql.placeholder;
  const insert = db.orm
    .insert(statements)
    .values({
      id: p('id'),
      sessionId: p('sessionId'),
      orgId: p('orgId'),
      courseId: p('courseId'),
      deploymentId: p('deploymentId'),
      verb: p('verb'),
      body: p('body'),
      storedAt: p('storedAt'),
    })
    .onConflictDoNothing()
    .prepare() as unknown as PreparedWrite;
  const upsert = prepareCompletionUpsert(db, { seq: false });
  const queue = prepareQueueWrite(db);

  // One compiled query for any batch size: the ids travel as one JSON array parameter.
  const lookup = db.orm
    .select({ id: statements.id, body: statements.body })
    .from(statements)
    .where(sql`${statements.id} in (select value from json_each(${p('ids')}))`)
    .prepare();

  return {
    /** Bodies already stored under any of `ids`. */
    async existing(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = (await lookup.all({ ids: JSON.stringify(ids) })) as { id: string; body: string }[];
      return new Map(rows.map((r) => [r.id, r.body]));
    },

    /** Stores new rows and merges the completion delta, atomically. */
    async write(session: Session, rows: readonly StoredRow[], delta: CompletionDelta, now: number) {
      // One object literal per row: spreading a shared scope and the row cost more than the insert's own JS.
      const writes: Write[] = rows.map(
        (r) =>
          [
            insert,
            {
              id: r.id,
              sessionId: session.id,
              orgId: session.orgId,
              courseId: session.courseId,
              deploymentId: session.deploymentId,
              verb: r.verb,
              body: r.body,
              storedAt: now,
            },
          ] as const,
      );
      // Statement forwarding's queue row, written only where the course has an LRS.
      if (rows.length > 0)
        writes.push([
          queue,
          queueParams(
            session.courseId,
            rows.map((r) => r.id),
          ),
        ]);
      writes.push([upsert, completionParams(session, delta, now)]);
      await db.batchPrepared(writes);
    },
  };
}

export type StatementStore = ReturnType<typeof createStatementStore>;
