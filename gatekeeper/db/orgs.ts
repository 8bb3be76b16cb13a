import { eq } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Database } from './database.js';
import { orgs } from './schema.js';

export type Org = typeof orgs.$inferSelect;

export async function createOrg(db: Database, input: { name: string; now: number }): Promise<Org> {
  const row: Org = {
    id: newId('org'),
    name: input.name,
    createdAt: input.now,
    contentUrl: null,
    contentHost: null,
  };
  await db.orm.insert(orgs).values(row);
  return row;
}

export async function getOrg(db: Database, id: string): Promise<Org | undefined> {
  return db.orm.select().from(orgs).where(eq(orgs.id, id)).get();
}

export async function countOrgs(db: Database): Promise<number> {
  return (await db.orm.select({ id: orgs.id }).from(orgs).all()).length;
}

/** The org whose own content URL (`coursegate admin set-content-url`) has this `URL.host`. */
export async function orgOfContentHost(db: Database, host: string): Promise<string | undefined> {
  return (await db.orm.select({ id: orgs.id }).from(orgs).where(eq(orgs.contentHost, host)).get())?.id;
}

/** The content base URL the operator set for the org, or null (the template's). */
export async function orgContentUrlOf(db: Database, orgId: string): Promise<string | null> {
  return (
    (await db.orm.select({ url: orgs.contentUrl }).from(orgs).where(eq(orgs.id, orgId)).get())?.url ?? null
  );
}

/** Sets (or with null clears) an org's own content base URL. */
export function setOrgContentUrlStatement(db: Database, orgId: string, url: string | null) {
  return db.orm
    .update(orgs)
    .set({ contentUrl: url, contentHost: url === null ? null : new URL(url).host })
    .where(eq(orgs.id, orgId));
}
