import { sql } from 'drizzle-orm';
import type { Database, NowQueries, PreparedRead, PreparedWrite } from '../db/database.js';
import { statements } from '../db/schema.js';
import type { Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { prepareQueueWrite, queueParams } from '../forwarding/queue.js';
import type { CompletionDelta } from './completion.js';
import { completionParams, prepareCompletionUpsert } from './completion-upsert.js';

export interface StoredRow {
  id: string;
  verb: string;
  /** The statement as JSON; compared byte for byte when the same id comes again. */
  body: string;
}

/** The completion delta of the rows that were new (every row, unless some id was stored before). */
export type DeltaOf = (fresh: readonly StoredRow[]) => CompletionDelta;

type Write = readonly [PreparedWrite, Record<string, unknown>];

const conflict = (id: string) =>
  new GatekeeperError('statement_conflict', `Statement ${id} exists with a different body`);

/**
 * Writes compiled once: statement inserts that ignore an id already stored (a retried batch), and the
 * completion upsert that merges a batch's delta into the session's record, in one transaction per batch.
 *
 * On better-sqlite3 (`Database.grouped`) the insert itself finds an id stored before (it changes no
 * row), and only then is that row's body read and compared, inside the same transaction: no lookup
 * per batch before the write, which cost the ingest about a tenth of its time (issue 27). On D1 the
 * bodies of the batch's ids are read first, then the new rows written in one `batch`.
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
  // Statement forwarding's queue row for the batch's new statements, written only where the course has an LRS.
  const queue = prepareQueueWrite(db);

  const bodyOf = db.orm
    .select({ body: statements.body })
    .from(statements)
    .where(sql`${statements.id} = ${p('id')}`)
    .prepare() as unknown as PreparedRead;
  // One compiled query for any batch size: the ids travel as one JSON array parameter.
  const lookup = db.orm
    .select({ id: statements.id, body: statements.body })
    .from(statements)
    .where(sql`${statements.id} in (select value from json_each(${p('ids')}))`)
    .prepare();

  // One object literal per row: spreading a shared scope and the row cost more than the insert's own JS.
  const valuesOf = (session: Session, r: StoredRow, now: number) => ({
    id: r.id,
    sessionId: session.id,
    orgId: session.orgId,
    courseId: session.courseId,
    deploymentId: session.deploymentId,
    verb: r.verb,
    body: r.body,
    storedAt: now,
  });

  const queueOf = (session: Session, fresh: readonly StoredRow[]) =>
    queueParams(
      session.courseId,
      fresh.map((r) => r.id),
    );

  /** Inside the transaction: inserts, compares the rows whose id was taken, merges the delta. */
  function writeNow(
    q: NowQueries,
    session: Session,
    rows: readonly StoredRow[],
    deltaOf: DeltaOf,
    now: number,
  ) {
    const seen: StoredRow[] = [];
    for (const r of rows) {
      if (q.run(insert, valuesOf(session, r, now)) !== 0) continue;
      const stored = q.get<{ body: string }>(bodyOf, { id: r.id });
      // Throwing rolls the whole transaction back: a request with one conflicting id stores nothing.
      if (stored?.body !== r.body) throw conflict(r.id);
      seen.push(r);
    }
    const fresh = seen.length > 0 ? rows.filter((r) => !seen.includes(r)) : rows;
    if (fresh.length > 0) q.run(queue, queueOf(session, fresh));
    q.run(upsert, completionParams(session, deltaOf(fresh), now));
  }

  return {
    /** Stores the rows not stored before and merges their completion delta, atomically; 409 on a clash. */
    async write(session: Session, rows: readonly StoredRow[], deltaOf: DeltaOf, now: number): Promise<void> {
      if (db.grouped) {
        await db.grouped((q) => writeNow(q, session, rows, deltaOf, now));
        return;
      }
      const found = (await lookup.all({ ids: JSON.stringify(rows.map((r) => r.id)) })) as {
        id: string;
        body: string;
      }[];
      const existing = new Map(found.map((r) => [r.id, r.body]));
      const fresh: StoredRow[] = [];
      for (const r of rows) {
        const known = existing.get(r.id);
        if (known === undefined) fresh.push(r);
        else if (known !== r.body) throw conflict(r.id);
      }
      const writes: Write[] = fresh.map((r) => [insert, valuesOf(session, r, now)] as const);
      if (fresh.length > 0) writes.push([queue, queueOf(session, fresh)]);
      writes.push([upsert, completionParams(session, deltaOf(fresh), now)]);
      await db.batchPrepared(writes);
    },
  };
}

export type StatementStore = ReturnType<typeof createStatementStore>;
