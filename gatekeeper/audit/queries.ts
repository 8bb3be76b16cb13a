import { and, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from '../db/keyset.js';
import { auditEvents, courses, deployments, ingestKeys, licenses, members } from '../db/schema.js';

/** The audit page's filters; every one optional. */
export interface AuditFilter {
  /** Events about this course, its licenses, deployments or ingest keys. */
  courseId?: string | undefined;
  /** A member's email prefix, or an actor id as stored (`cli` for the operator's CLI). */
  actor?: string | undefined;
  /** An action (`license.revoke`) or a family of them (`license.`). */
  action?: string | undefined;
  /** Times in ms: `from` inclusive, `to` exclusive. */
  from?: number | undefined;
  to?: number | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function conditions(orgId: string, f: AuditFilter): (SQL | undefined)[] {
  const ofCourse = (table: typeof licenses | typeof deployments | typeof ingestKeys) =>
    sql`${auditEvents.subject} IN (SELECT ${table.id} FROM ${table} WHERE ${table.courseId} = ${f.courseId})`;
  return [
    eq(auditEvents.orgId, orgId),
    f.courseId === undefined
      ? undefined
      : or(
          eq(auditEvents.subject, f.courseId),
          ofCourse(licenses),
          ofCourse(deployments),
          ofCourse(ingestKeys),
        ),
    f.actor === undefined
      ? undefined
      : or(
          eq(auditEvents.actor, f.actor),
          inArray(
            auditEvents.actor,
            sql`(SELECT ${members.id} FROM ${members} WHERE ${members.orgId} = ${orgId} AND ${members.email} LIKE ${`${escapeLike(f.actor)}%`} ESCAPE '\\')`,
          ),
        ),
    f.action === undefined
      ? undefined
      : f.action.endsWith('.')
        ? // ESCAPE, or `api\_key.%` would look for a backslash: the families with `_` would match nothing.
          sql`${auditEvents.action} LIKE ${`${escapeLike(f.action)}%`} ESCAPE '\\'`
        : eq(auditEvents.action, f.action),
    f.from === undefined ? undefined : gte(auditEvents.at, f.from),
    f.to === undefined ? undefined : lt(auditEvents.at, f.to),
  ];
}

const subjectCourse = alias(courses, 'subject_course');

/**
 * One page of the org's audit trail after `cursor`, newest first (or oldest first), each event with the
 * actor's email and its subject's name (a license's client, a course's title) when they still exist.
 * `audit_events_org_at` serves the org and the (time, id) order; the filters are checked on its rows.
 */
export async function pageAuditEvents(
  db: Database,
  orgId: string,
  f: AuditFilter,
  walk: { cursor?: Cursor | undefined; newest: boolean; limit: number },
) {
  const rows = await db.orm
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      key: auditEvents.id,
      actor: auditEvents.actor,
      actorEmail: members.email,
      action: auditEvents.action,
      subject: auditEvents.subject,
      subjectName: sql<string | null>`coalesce(${licenses.clientName}, ${subjectCourse.title})`,
      from: auditEvents.fromValue,
      to: auditEvents.toValue,
      reason: auditEvents.reason,
    })
    .from(auditEvents)
    .leftJoin(members, eq(members.id, auditEvents.actor))
    .leftJoin(licenses, eq(licenses.id, auditEvents.subject))
    .leftJoin(subjectCourse, eq(subjectCourse.id, auditEvents.subject))
    .where(
      and(
        ...conditions(orgId, f),
        walk.cursor && beyond(auditEvents.at, auditEvents.id, walk.cursor, walk.newest),
      ),
    )
    .orderBy(...walkOrder(auditEvents.at, auditEvents.id, walk.newest))
    .limit(walk.limit + 1)
    .all();
  return keysetPage(rows, walk.limit, ({ key: _key, ...r }) => r);
}

/** How many events match the filters: the page's total. */
export async function countAuditEvents(db: Database, orgId: string, f: AuditFilter): Promise<number> {
  const row = await db.orm
    .select({ n: sql<number>`count(*)` })
    .from(auditEvents)
    .where(and(...conditions(orgId, f)))
    .get();
  return row?.n ?? 0;
}

/** The actions the org's trail holds, for the filter's choices. */
export async function auditActions(db: Database, orgId: string): Promise<string[]> {
  const rows = await db.orm
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId))
    .orderBy(auditEvents.action)
    .all();
  return rows.map((r) => r.action);
}
