import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from '../db/keyset.js';
import { launchEvents, licenses } from '../db/schema.js';

/** What the launch log of the dashboard and of the API filter by. */
export interface LaunchFilter {
  orgId: string;
  courseId?: string | undefined;
  licenseId?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  /** `ok` or a launch error code. */
  code?: string | undefined;
  /** At or after, ms. */
  from?: number | undefined;
  /** Before, ms. */
  to?: number | undefined;
}

export interface LaunchWalk {
  cursor?: Cursor | undefined;
  newest: boolean;
  limit: number;
}

export type LaunchRow = Awaited<ReturnType<typeof launchLogPage>>['rows'][number];

const e = launchEvents;
const columns = {
  key: e.id,
  id: e.id,
  at: e.at,
  allowed: e.allowed,
  reason: e.reason,
  detail: e.detail,
  origin: e.origin,
  standard: e.standard,
  sessionId: e.sessionId,
  licenseId: e.licenseId,
};

/** The filters on launch_events itself that no index serves: each is checked on rows walked in order. */
function eventWhere(
  f: LaunchFilter,
  walk: LaunchWalk,
  allowed: boolean | undefined,
  orgTerm: SQL = eq(e.orgId, f.orgId),
): (SQL | undefined)[] {
  return [
    orgTerm,
    allowed === undefined ? undefined : eq(e.allowed, allowed),
    f.code === undefined ? undefined : eq(e.reason, f.code),
    f.from === undefined ? undefined : gte(e.at, f.from),
    f.to === undefined ? undefined : lt(e.at, f.to),
    walk.cursor && beyond(e.at, e.id, walk.cursor, walk.newest),
  ];
}

/** The license side of every launch read: in the org, and of the course when the filter names one. */
const licenseWhere = (f: LaunchFilter, id: SQL) =>
  and(
    id,
    eq(licenses.orgId, f.orgId),
    f.courseId === undefined ? undefined : eq(licenses.courseId, f.courseId),
  );

const outcomeOf = (f: LaunchFilter) => (f.outcome === undefined ? undefined : f.outcome === 'allowed');

/**
 * One license's launches, through `launch_events_license_at` (license, allowed, at): each value of
 * `allowed` is one ordered range, and without an outcome filter the two ranges are merged (UNION ALL
 * with the walk's order), not sorted.
 */
async function ofLicense(db: Database, f: LaunchFilter, walk: LaunchWalk, licenseId: string) {
  const arm = (allowed: boolean) =>
    db.orm
      .select(columns)
      .from(e)
      // `+org_id`: still checked, but not an index the planner may pick over the license's.
      .where(and(eq(e.licenseId, licenseId), ...eventWhere(f, walk, allowed, sql`+${e.orgId} = ${f.orgId}`)));
  const outcome = outcomeOf(f);
  const order = walkOrder(e.at, e.id, walk.newest);
  if (outcome !== undefined)
    return arm(outcome)
      .orderBy(...order)
      .limit(walk.limit + 1)
      .all();
  return arm(true)
    .unionAll(arm(false))
    .orderBy(...order)
    .limit(walk.limit + 1)
    .all();
}

/**
 * A page of the org's launch log in (at, id) order. Without a license filter it walks the org's index
 * `launch_events_org_at` and looks each row's license up by primary key (CROSS JOIN keeps SQLite from
 * starting at the licenses and sorting their launches); a course filter is checked on that license.
 * Launches whose token named no license of the org are in nobody's log.
 */
export async function launchLogPage(db: Database, f: LaunchFilter, walk: LaunchWalk) {
  const l = licenses;
  let rows: (Awaited<ReturnType<typeof ofLicense>>[number] & { clientName: string; courseId: string })[];
  if (f.licenseId !== undefined) {
    const license = await db.orm
      .select({ id: l.id, clientName: l.clientName, courseId: l.courseId })
      .from(l)
      .where(licenseWhere(f, eq(l.id, f.licenseId)))
      .get();
    // Assigned, not spread: an export reads a million rows, and each copy is garbage to collect.
    rows = license
      ? (await ofLicense(db, f, walk, license.id)).map((r) =>
          Object.assign(r, { clientName: license.clientName, courseId: license.courseId }),
        )
      : [];
  } else {
    rows = await db.orm
      .select({ ...columns, clientName: l.clientName, courseId: l.courseId })
      .from(e)
      .crossJoin(l)
      .where(and(licenseWhere(f, eq(l.id, e.licenseId)), ...eventWhere(f, walk, outcomeOf(f))))
      .orderBy(...walkOrder(e.at, e.id, walk.newest))
      .limit(walk.limit + 1)
      .all();
  }
  return keysetPage(rows, walk.limit, (r) => r);
}
