import { and, eq, gt, max, sql } from 'drizzle-orm';
import type { Database, Statement } from '../db/database.js';
import { launchEvents, licenses, outboxMarks } from '../db/schema.js';
import { outboxStatements } from './record.js';
import { orgWants } from './wanted.js';

const CURSOR = 'cursor:launch.denied';
const MINUTE_MS = 60_000;
const SCAN = 5000;

/**
 * `launch.denied`, one event per license and minute with how many launches were refused and why. Read
 * afterwards from the launch events the launch path records anyway, so a launch pays nothing for it: no
 * write, no network call (docs/integrations.md, "Events"). A cursor (the last launch event read) moves in
 * the same batch as the events, so each minute is announced once; a minute is read once it is over.
 * Refusals of a token that did not verify name no license and are not announced. The scan walks only
 * refused launches (partial index `launch_events_denied`), at most `SCAN` a run; allowed launches, the
 * hot path's, are never read.
 *
 * With `wanted` false (no endpoint asks for `launch.denied`) the cursor is dropped, so an endpoint added
 * later starts from then, as the first check does.
 */
export async function checkLaunchDenied(db: Database, now: Date, wanted = true): Promise<void> {
  const [mark] = await db.orm.select().from(outboxMarks).where(eq(outboxMarks.key, CURSOR));
  if (!wanted) {
    if (mark) await db.batch([db.orm.delete(outboxMarks).where(eq(outboxMarks.key, CURSOR))]);
    return;
  }
  if (!mark) {
    // The first check starts from now: history is not announced.
    const [last] = await db.orm.select({ id: max(launchEvents.id) }).from(launchEvents);
    await db.batch([
      db.orm
        .insert(outboxMarks)
        .values({ key: CURSOR, value: last?.id ?? 0 })
        .onConflictDoNothing(),
    ]);
    return;
  }
  const minuteNow = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const rows = await db.orm
    .select({
      id: launchEvents.id,
      at: launchEvents.at,
      reason: launchEvents.reason,
      licenseId: licenses.id,
      orgId: licenses.orgId,
      courseId: licenses.courseId,
      clientName: licenses.clientName,
      wanted: sql<number>`${orgWants(licenses.orgId, 'launch.denied')}`,
    })
    .from(launchEvents)
    .leftJoin(licenses, eq(licenses.id, launchEvents.licenseId))
    .where(and(gt(launchEvents.id, mark.value), sql`${launchEvents.allowed} = 0`))
    .orderBy(launchEvents.id)
    .limit(SCAN);
  const done = rows.findIndex((r) => r.at >= minuteNow);
  const closed = done === -1 ? rows : rows.slice(0, done);
  if (closed.length === 0) return;
  const groups = new Map<
    string,
    { first: (typeof closed)[number]; minute: number; reasons: Record<string, number>; count: number }
  >();
  for (const r of closed) {
    if (!r.licenseId || !r.orgId || !r.wanted) continue;
    const minute = Math.floor(r.at / MINUTE_MS) * MINUTE_MS;
    const key = `${r.licenseId}:${minute}`;
    const g = groups.get(key) ?? { first: r, minute, reasons: {}, count: 0 };
    g.count++;
    g.reasons[r.reason] = (g.reasons[r.reason] ?? 0) + 1;
    groups.set(key, g);
  }
  // Everything conditional on the cursor being where this check read it: of two checks at once (two
  // Worker invocations), the second writes nothing.
  const unmoved = sql`(SELECT ${outboxMarks.value} FROM ${outboxMarks} WHERE ${outboxMarks.key} = ${CURSOR}) = ${mark.value}`;
  const writes: Statement[] = [...groups.values()].flatMap((g) => {
    const data = {
      licenseId: g.first.licenseId,
      courseId: g.first.courseId,
      clientName: g.first.clientName,
      minute: new Date(g.minute).toISOString(),
      count: g.count,
      reasons: g.reasons,
    };
    const event = {
      orgId: g.first.orgId as string,
      type: 'launch.denied' as const,
      subject: g.first.licenseId as string,
      data,
      at: now.getTime(),
    };
    return outboxStatements(db, event, { when: unmoved }).statements;
  });
  const cursor = closed.at(-1)!.id;
  // Last: the condition above reads the cursor this statement moves.
  writes.push(
    db.orm
      .update(outboxMarks)
      .set({ value: cursor })
      .where(and(eq(outboxMarks.key, CURSOR), eq(outboxMarks.value, mark.value))),
  );
  await db.batch(writes);
}
