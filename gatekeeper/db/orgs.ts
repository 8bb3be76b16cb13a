import { eq } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Database } from './database.js';
import { orgs } from './schema.js';

export type Org = typeof orgs.$inferSelect;

export async function createOrg(db: Database, input: { name: string; now: number }): Promise<Org> {
  const row: Org = { id: newId('org'), name: input.name, createdAt: input.now };
  await db.orm.insert(orgs).values(row);
  return row;
}

export async function getOrg(db: Database, id: string): Promise<Org | undefined> {
  return db.orm.select().from(orgs).where(eq(orgs.id, id)).get();
}

export async function countOrgs(db: Database): Promise<number> {
  return (await db.orm.select({ id: orgs.id }).from(orgs).all()).length;
}
