import { and, count, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Database, Statement } from '../db/database.js';
import { launchEvents, licenses, outboxMarks } from '../db/schema.js';
import { outboxStatements } from './record.js';

const DAY_MS = 86_400_000;
/** Days before expiry that `license.expiring` is sent at, and cap use (%) `license.cap_reached` is. */
export const EXPIRY_ALERT_DAYS = [1, 7, 14] as const;
export const CAP_ALERT_PERCENT = [100, 95, 80] as const;

type License = typeof licenses.$inferSelect;

/** Start of a cap's period (UTC), as the launch check counts it (docs/gatekeeper.md, "Launch"). */
function capPeriodStart(period: License['capPeriod'], now: Date): number {
  if (period === 'day') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'month') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return 0;
}

/**
 * An alert sent once: the event is written only when its mark is not there yet, and the mark in the same
 * batch, so a check that runs twice (or on two Workers at once) sends it once.
 */
function once(db: Database, key: string, event: Parameters<typeof outboxStatements>[1]): Statement[] {
  const unmarked = sql`NOT EXISTS (SELECT 1 FROM ${outboxMarks} WHERE ${outboxMarks.key} = ${key})`;
  return [
    ...outboxStatements(db, event, { when: unmarked }).statements,
    db.orm.insert(outboxMarks).values({ key, value: event.at }).onConflictDoNothing(),
  ];
}

const licenseData = (l: License) => ({ licenseId: l.id, courseId: l.courseId, clientName: l.clientName });

/**
 * `license.expiring` at 14, 7 and 1 days before an active license expires: the nearest threshold
 * crossed, once per license and expiry (an extension arms them again).
 */
export async function checkExpiring(db: Database, now: Date): Promise<void> {
  const at = now.getTime();
  const soon = await db.orm
    .select()
    .from(licenses)
    .where(
      and(
        eq(licenses.status, 'active'),
        isNotNull(licenses.expiresAt),
        sql`${licenses.expiresAt} > ${at} AND ${licenses.expiresAt} <= ${at + 14 * DAY_MS}`,
      ),
    );
  const writes = soon.flatMap((l) => {
    const left = (l.expiresAt as number) - at;
    const days = EXPIRY_ALERT_DAYS.find((d) => left <= d * DAY_MS) as number;
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

/**
 * `license.cap_reached` at 80, 95 and 100 % of a capped license's launches in its period: the highest
 * threshold crossed, once per license, period and threshold.
 */
export async function checkCaps(db: Database, now: Date): Promise<void> {
  const at = now.getTime();
  const capped = await db.orm
    .select()
    .from(licenses)
    .where(and(eq(licenses.status, 'active'), isNotNull(licenses.launchCap)));
  const writes: Statement[] = [];
  for (const l of capped) {
    const since = capPeriodStart(l.capPeriod, now);
    const [row] = await db.orm
      .select({ n: count() })
      .from(launchEvents)
      .where(
        and(eq(launchEvents.licenseId, l.id), eq(launchEvents.allowed, true), gte(launchEvents.at, since)),
      );
    const cap = l.launchCap as number;
    const percent = ((row?.n ?? 0) / cap) * 100;
    const threshold = CAP_ALERT_PERCENT.find((p) => percent >= p);
    if (threshold === undefined) continue;
    const data = { ...licenseData(l), percent: threshold, launches: row?.n ?? 0, cap, period: l.capPeriod };
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
  if (writes.length > 0) await db.batch(writes);
}
