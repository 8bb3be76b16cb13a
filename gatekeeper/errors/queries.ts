import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { DAY_MS, type DayCount } from '../logs/counts.js';
import { type GroupKey, recentGroupKeys } from './recent-groups.js';

/**
 * Error insight reads (docs/dashboard.md, "Errors"): `error_events` rows are one group per course,
 * deployment and fingerprint; these merge a course's deployments into one group per fingerprint, and
 * reach clients and browsers through the counted reports (`error_reports`, whose id starts with the
 * session id). Every read is scoped to the signed-in member's org.
 */

export interface ErrorGroup {
  courseId: string;
  courseTitle: string;
  fingerprint: string;
  kind: string;
  message: string;
  count: number;
  firstAt: number;
  lastAt: number;
  deployments: number;
  clients: string[];
  browsers: string[];
}

const sessionOfReport = sql.raw("substr(r.id, 1, instr(r.id, ':') - 1)");

/**
 * The most recent groups first, `limit` of them, optionally of one course (or the one group of a course
 * and fingerprint). The page's keys come from a newest-first walk (`recent-groups.ts`); only their rows
 * are aggregated, through `error_events_course_fingerprint`, so the cost follows the page, not the org
 * (`+e.org_id` keeps the org check a filter: as an index term SQLite would read all the org's rows).
 */
export async function errorGroups(
  db: Database,
  orgId: string,
  options: { courseId?: string | undefined; fingerprint?: string; limit: number },
): Promise<ErrorGroup[]> {
  const keys =
    options.courseId && options.fingerprint
      ? [{ courseId: options.courseId, fingerprint: options.fingerprint }]
      : await recentGroupKeys(db, orgId, options);
  if (keys.length === 0) return [];
  const rows = await db.orm.all<Omit<ErrorGroup, 'clients' | 'browsers'>>(sql`
    select e.course_id as courseId, coalesce(c.title, e.course_id) as courseTitle, e.fingerprint as fingerprint,
      max(e.kind) as kind, max(e.message) as message, sum(e.count) as count, min(e.first_at) as firstAt,
      max(e.at) as lastAt, count(*) as deployments
    from ${keyTable(keys)}
    join error_events e on e.course_id = k.course_id and e.fingerprint = k.fingerprint
    left join courses c on c.id = e.course_id
    where +e.org_id = ${orgId}
    group by e.course_id, e.fingerprint`);
  const byKey = new Map(rows.map((g) => [keyOf(g), g]));
  const groups = keys.flatMap((k) => byKey.get(keyOf(k)) ?? []);
  const who = await affected(db, orgId, groups);
  return groups.map((g) => {
    const w = who.get(keyOf(g));
    return { ...g, clients: [...(w?.clients ?? [])].sort(), browsers: [...(w?.browsers ?? [])].sort() };
  });
}

const keyOf = (g: GroupKey): string => `${g.courseId}\n${g.fingerprint}`;
/** The listed keys as a table `k` to join from: each key's rows come through `error_events_course_fingerprint`. */
const keyTable = (keys: GroupKey[]) =>
  sql`(select column1 as course_id, column2 as fingerprint from (values ${sql.join(
    keys.map((g) => sql`(${g.courseId}, ${g.fingerprint})`),
    sql`, `,
  )})) k`;

/** Client names and browser families per listed group, in one read. */
async function affected(db: Database, orgId: string, groups: { courseId: string; fingerprint: string }[]) {
  const out = new Map<string, { clients: Set<string>; browsers: Set<string> }>();
  if (groups.length === 0) return out;
  const rows = await db.orm.all<{
    courseId: string;
    fingerprint: string;
    client: string | null;
    browser: string | null;
  }>(sql`
    select e.course_id as courseId, e.fingerprint as fingerprint, l.client_name as client, r.browser as browser
    from ${keyTable(groups)}
    join error_events e on e.course_id = k.course_id and e.fingerprint = k.fingerprint
    join error_reports r on r.group_id = e.id
    left join sessions s on s.id = ${sessionOfReport}
    left join licenses l on l.id = s.license_id and l.org_id = e.org_id
    where +e.org_id = ${orgId}
    group by 1, 2, 3, 4`);
  for (const r of rows) {
    const k = keyOf(r);
    const entry = out.get(k) ?? { clients: new Set<string>(), browsers: new Set<string>() };
    if (r.client) entry.clients.add(r.client);
    if (r.browser) entry.browsers.add(r.browser);
    out.set(k, entry);
  }
  return out;
}

export interface ErrorGroupDetail extends ErrorGroup {
  /** The latest sample: its stack and page, and the deployment it came from. */
  stack: string | null;
  url: string | null;
  sampleDeploymentId: string;
  perDeployment: { deploymentId: string; message: string | null; count: number; lastAt: number }[];
  trend: DayCount[];
}

/** One group of a course with its sample stack and `days` days of occurrences, or null. */
export async function errorGroupDetail(
  db: Database,
  orgId: string,
  options: { courseId: string; fingerprint: string; now: number; days: number },
): Promise<ErrorGroupDetail | null> {
  const [group] = await errorGroups(db, orgId, {
    courseId: options.courseId,
    fingerprint: options.fingerprint,
    limit: 1,
  });
  if (!group) return null;
  const match = sql`e.org_id = ${orgId} and e.course_id = ${options.courseId} and e.fingerprint = ${options.fingerprint}`;
  const perDeployment = await db.orm.all<
    ErrorGroupDetail['perDeployment'][number] & { stack: string | null; url: string | null }
  >(sql`
    select e.deployment_id as deploymentId, d.message as message, e.count as count, e.at as lastAt,
      e.stack as stack, e.url as url
    from error_events e left join deployments d on d.id = e.deployment_id
    where ${match}
    order by e.at desc`);
  const today = Math.floor(options.now / DAY_MS) * DAY_MS;
  const since = today - (options.days - 1) * DAY_MS;
  const perDay = await db.orm.all<{ day: number; n: number }>(sql`
    select (r.at / ${DAY_MS}) * ${DAY_MS} as day, sum(r.count) as n
    from error_events e join error_reports r on r.group_id = e.id
    where ${match} and r.at >= ${since}
    group by 1`);
  const byDay = new Map(perDay.map((d) => [Number(d.day), Number(d.n)]));
  const trend = Array.from({ length: options.days }, (_, i) => {
    const day = since + i * DAY_MS;
    return { day, launches: 0, errors: byDay.get(day) ?? 0 };
  });
  const sample = perDeployment[0];
  return {
    ...group,
    stack: sample?.stack ?? null,
    url: sample?.url ?? null,
    sampleDeploymentId: sample?.deploymentId ?? '',
    perDeployment: perDeployment.map(({ stack: _s, url: _u, ...d }) => d),
    trend,
  };
}
