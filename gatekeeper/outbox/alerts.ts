import { and, asc, eq, gt, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Database, Statement } from '../db/database.js';
import { licenses, outboxMarks } from '../db/schema.js';
import { outboxStatements } from './record.js';
import { orgWants } from './wanted.js';

const DAY_MS = 86_400_000;
/** Days before expiry that `license.expiring` is sent at, and cap use (%) `license.cap_reached` is. */
export const EXPIRY_ALERT_DAYS = [1, 7, 14] as const;
export const CAP_ALERT_PERCENT = [100, 95, 80] as const;
/**
 * Licenses one check looks at: a check's cost stays flat however many licenses there are (the Node
 * server runs it every few seconds beside the launch path); the rest wait for the next tick.
 */
export const ALERT_BATCH = 200;
const CAP_CURSOR = 'cursor:license.cap_reached';

type License = typeof licenses.$inferSelect;

/** Start of a cap's period (UTC), as the launch check counts it (docs/gatekeeper.md, "Launch"). */
function capPeriodStart(period: License['capPeriod'], now: Date): number {
  if (period === 'day') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'month') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return 0;
}

const marked = (key: SQL) => sql`EXISTS (SELECT 1 FROM ${outboxMarks} WHERE ${outboxMarks.key} = ${key})`;

/**
 * An alert sent once: the event is written only when its mark is not there yet, and the mark in the same
 * batch, so a check that runs twice (or on two Workers at once) sends it once.
 */
function once(db: Database, key: string, event: Parameters<typeof outboxStatements>[1]): Statement[] {
  return [
    ...outboxStatements(db, event, { when: sql`NOT ${marked(sql`${key}`)}` }).statements,
    db.orm.insert(outboxMarks).values({ key, value: event.at }).onConflictDoNothing(),
  ];
}

const licenseData = (l: License) => ({ licenseId: l.id, courseId: l.courseId, clientName: l.clientName });

/**
 * `license.expiring` at 14, 7 and 1 days before an active license expires: the nearest threshold
 * crossed, once per license and expiry (an extension arms them again). Only licenses of orgs with an
 * endpoint that asks for it, and not yet announced at their threshold, are read (index
 * `licenses_expires_at`), at most `ALERT_BATCH` a run.
 */
export async function checkExpiring(db: Database, now: Date): Promise<void> {
  const at = now.getTime();
  const days = sql`(CASE WHEN ${licenses.expiresAt} <= ${at + DAY_MS} THEN 1
    WHEN ${licenses.expiresAt} <= ${at + 7 * DAY_MS} THEN 7 ELSE 14 END)`;
  const key = sql`'expiring:' || ${licenses.id} || ':' || ${licenses.expiresAt} || ':' || ${days}`;
  const soon = await db.orm
    .select({ license: licenses, days: sql<number>`${days}` })
    .from(licenses)
    .where(
      and(
        isNotNull(licenses.expiresAt),
        sql`${licenses.expiresAt} > ${at} AND ${licenses.expiresAt} <= ${at + 14 * DAY_MS}`,
        eq(licenses.status, 'active'),
        sql`NOT ${marked(key)}`,
        orgWants(licenses.orgId, 'license.expiring'),
      ),
    )
    .orderBy(asc(licenses.expiresAt))
    .limit(ALERT_BATCH);
  const writes = soon.flatMap(({ license: l, days }) => {
    const data = {
      ...licenseData(l),
      daysBefore: days,
      expiresAt: new Date(l.expiresAt as number).toISOString(),
    };
    return once(db, `expiring:${l.id}:${l.expiresAt}:${days}`, {
      orgId: l.orgId,
      type: 'license.expiring',
      subject: l.id,
      data,
      at,
    });
  });
  if (writes.length > 0) await db.batch(writes);
}

/** Launches of a license since `since`, counted up to `cap` at most (index `launch_events_license_at`). */
async function launchesUpTo(db: Database, licenseId: string, since: number, cap: number) {
  const [row] = await db.orm.all<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM launch_events
    WHERE license_id = ${licenseId} AND allowed = 1 AND at >= ${since} LIMIT ${cap})`);
  return row?.n ?? 0;
}

/**
 * `license.cap_reached` at 80, 95 and 100 % of a capped license's launches in its period: the highest
 * threshold crossed, once per license, period and threshold. Licenses of orgs with an endpoint that asks
 * for it, not yet announced at 100 % this period, `ALERT_BATCH` a run in rowid order from a cursor, so
 * every one comes round; each count reads at most `cap` index entries.
 */
export async function checkCaps(db: Database, now: Date): Promise<void> {
  const at = now.getTime();
  const periodStart = sql`(CASE ${licenses.capPeriod} WHEN 'day' THEN ${capPeriodStart('day', now)}
    WHEN 'month' THEN ${capPeriodStart('month', now)} ELSE 0 END)`;
  const full = sql`'cap:' || ${licenses.id} || ':' || ${periodStart} || ':100'`;
  const [mark] = await db.orm.select().from(outboxMarks).where(eq(outboxMarks.key, CAP_CURSOR));
  const from = mark?.value ?? 0;
  const capped = await db.orm
    .select({ license: licenses, rowid: sql<number>`${licenses}.rowid` })
    .from(licenses)
    .where(
      and(
        gt(sql`${licenses}.rowid`, from),
        isNotNull(licenses.launchCap),
        eq(licenses.status, 'active'),
        sql`NOT ${marked(full)}`,
        orgWants(licenses.orgId, 'license.cap_reached'),
      ),
    )
    .orderBy(sql`${licenses}.rowid`)
    .limit(ALERT_BATCH);
  const writes: Statement[] = [];
  for (const { license: l } of capped) {
    const since = capPeriodStart(l.capPeriod, now);
    const cap = l.launchCap as number;
    const launches = await launchesUpTo(db, l.id, since, cap);
    const percent = (launches / cap) * 100;
    const threshold = CAP_ALERT_PERCENT.find((p) => percent >= p);
    if (threshold === undefined) continue;
    const data = { ...licenseData(l), percent: threshold, launches, cap, period: l.capPeriod };
    writes.push(
      ...once(db, `cap:${l.id}:${since}:${threshold}`, {
        orgId: l.orgId,
        type: 'license.cap_reached',
        subject: l.id,
        data,
        at,
      }),
    );
  }
  // A full page leaves the cursor after it; a short one sends the next run back to the start.
  const next = capped.length === ALERT_BATCH ? (capped.at(-1)?.rowid ?? 0) : 0;
  if (next !== from)
    writes.push(
      db.orm
        .insert(outboxMarks)
        .values({ key: CAP_CURSOR, value: next })
        .onConflictDoUpdate({ target: outboxMarks.key, set: { value: next } }),
    );
  if (writes.length > 0) await db.batch(writes);
}
