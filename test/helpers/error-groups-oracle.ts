import { sql } from 'drizzle-orm';
import type { Database } from '../../gatekeeper/db/database.js';

/**
 * The error-groups read as it was before the walk (issue 24): one GROUP BY over all of an org's error
 * rows, sorted by each group's last time; clients and browsers per group by a plain join of its reports.
 * Slow at scale, but obviously right: the oracle the fast read must agree with, record for record.
 */
export async function errorGroupsByGroupBy(
  db: Database,
  orgId: string,
  options: { courseId?: string | undefined; fingerprint?: string; limit: number },
) {
  const groups = await groupsByGroupBy(db, orgId, options);
  const out = [];
  for (const g of groups) {
    const who = await db.orm.all<{ client: string | null; browser: string | null }>(sql`
      select l.client_name as client, r.browser as browser
      from error_events e join error_reports r on r.group_id = e.id
      left join sessions s on s.id = substr(r.id, 1, instr(r.id, ':') - 1)
      left join licenses l on l.id = s.license_id and l.org_id = e.org_id
      where e.org_id = ${orgId} and e.course_id = ${g.courseId} and e.fingerprint = ${g.fingerprint}`);
    const distinct = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
    out.push({
      ...g,
      clients: distinct(who.map((w) => w.client)),
      browsers: distinct(who.map((w) => w.browser)),
    });
  }
  return out;
}

/** The old query itself: every group of the org (or course) aggregated, then sorted, then cut. */
export async function groupsByGroupBy(
  db: Database,
  orgId: string,
  options: { courseId?: string | undefined; fingerprint?: string; limit: number },
) {
  const course = options.courseId ? sql`and e.course_id = ${options.courseId}` : sql``;
  const print = options.fingerprint ? sql`and e.fingerprint = ${options.fingerprint}` : sql``;
  return await db.orm.all<{ courseId: string; fingerprint: string }>(sql`
    select e.course_id as courseId, coalesce(c.title, e.course_id) as courseTitle, e.fingerprint as fingerprint,
      max(e.kind) as kind, max(e.message) as message, sum(e.count) as count, min(e.first_at) as firstAt,
      max(e.at) as lastAt, count(*) as deployments
    from error_events e left join courses c on c.id = e.course_id
    where e.org_id = ${orgId} ${course} ${print}
    group by e.course_id, e.fingerprint
    order by lastAt desc
    limit ${options.limit}`);
}
