import { auditStatement } from '../db/audit-events.js';
import type { Database } from '../db/database.js';
import { orgs } from '../db/schema.js';

/**
 * Records one operator action (actor `cli`) in every organisation's audit trail: a signing key serves
 * them all, so each trail shows its rotation and retirement (docs/gatekeeper.md, "Audit").
 */
export async function auditEveryOrg(
  db: Database,
  event: { action: string; subject: string; fromValue: string | null; reason: string; at: number },
): Promise<void> {
  const all = await db.orm.select({ id: orgs.id }).from(orgs).all();
  if (all.length === 0) return;
  await db.batch(
    all.map((org) => auditStatement(db, { orgId: org.id, actor: 'cli', toValue: null, ...event })),
  );
}
