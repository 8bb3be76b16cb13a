import { sql } from 'drizzle-orm';
import type { Database, PreparedWrite } from '../db/database.js';
import { errorEvents, errorReports } from '../db/schema.js';

export interface ErrorRow {
  /** Unique per session: `<session id>:<report id>`. */
  reportId: string;
  fingerprint: string;
  kind: string;
  code: string;
  message: string;
  stack: string | null;
  url: string | null;
  count: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Error groups: one `error_events` row per course, deployment and fingerprint. A report's count is
 * added once per report id: `error_reports` ignores an id it holds, and its insert trigger adds the
 * count to the group, so a retried report changes nothing, atomically.
 */
export function createErrorStore(db: Database) {
  const p = sql.placeholder;
  const group = db.orm
    .insert(errorEvents)
    .values({
      sessionId: p('sessionId'),
      orgId: p('orgId'),
      courseId: p('courseId'),
      deploymentId: p('deploymentId'),
      fingerprint: p('fingerprint'),
      kind: p('kind'),
      code: p('code'),
      message: p('message'),
      stack: p('stack'),
      url: p('url'),
      count: 0,
      firstAt: p('firstAt'),
      at: p('lastAt'),
    })
    .onConflictDoUpdate({
      target: [errorEvents.courseId, errorEvents.deploymentId, errorEvents.fingerprint],
      set: {
        sessionId: sql.raw('excluded.session_id'),
        message: sql.raw('excluded.message'),
        stack: sql.raw('excluded.stack'),
        url: sql.raw('excluded.url'),
        firstAt: sql.raw('min("error_events"."first_at", excluded.first_at)'),
        at: sql.raw('max("error_events"."at", excluded.at)'),
      },
    })
    .prepare() as unknown as PreparedWrite;
  const report = db.orm
    .insert(errorReports)
    .values({
      id: p('reportId'),
      groupId: sql`(select ${errorEvents.id} from ${errorEvents} where ${errorEvents.courseId} = ${p('courseId')} and ${errorEvents.deploymentId} = ${p('deploymentId')} and ${errorEvents.fingerprint} = ${p('fingerprint')})`,
      count: p('count'),
      at: p('lastAt'),
      browser: p('browser'),
    })
    .onConflictDoNothing()
    .prepare() as unknown as PreparedWrite;

  return {
    async write(
      scope: {
        sessionId: string;
        orgId: string;
        courseId: string;
        deploymentId: string;
        browser: string | null;
      },
      rows: readonly ErrorRow[],
    ) {
      await db.batchPrepared(
        rows.flatMap((r) => {
          const values = { ...scope, ...r };
          return [[group, values] as const, [report, values] as const];
        }),
      );
    },
  };
}

export type ErrorStore = ReturnType<typeof createErrorStore>;
