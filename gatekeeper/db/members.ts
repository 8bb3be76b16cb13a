import { and, eq, type SQL, sql } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Database } from './database.js';
import { members } from './schema.js';

export type Member = typeof members.$inferSelect;
export type Role = Member['role'];
export const ROLES: readonly Role[] = ['owner', 'member'];

/** A member as the API shows it: never the password hash. */
export type PublicMember = Omit<Member, 'passwordHash'> & { hasPassword: boolean };

export function publicMember({ passwordHash, ...m }: Member): PublicMember {
  return { ...m, hasPassword: passwordHash !== null };
}

export interface NewMemberRow {
  orgId: string;
  email: string;
  name?: string | null;
  role: Role;
  passwordHash?: string | null;
  now: number;
}

export async function createMember(db: Database, input: NewMemberRow): Promise<Member> {
  const row = newMemberRow(input);
  await db.orm.insert(members).values(row);
  return row;
}

/** A member's row, for `insertMemberStatement` in the batch that also records it. */
export function newMemberRow(input: NewMemberRow): Member {
  return {
    id: newId('mem'),
    orgId: input.orgId,
    email: input.email.toLowerCase(),
    name: input.name ?? null,
    role: input.role,
    passwordHash: input.passwordHash ?? null,
    createdAt: input.now,
  };
}

export function insertMemberStatement(db: Database, row: Member) {
  return db.orm.insert(members).values(row);
}

export async function findMemberByEmail(db: Database, email: string): Promise<Member | undefined> {
  return db.orm.select().from(members).where(eq(members.email, email.toLowerCase())).get();
}

export async function listMembers(db: Database, orgId: string): Promise<Member[]> {
  return db.orm.select().from(members).where(eq(members.orgId, orgId)).orderBy(members.createdAt).all();
}

export async function getMember(db: Database, orgId: string, id: string): Promise<Member | undefined> {
  return db.orm
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, id)))
    .get();
}

/**
 * True while the org has an owner other than `id`. Used as the condition of the write that demotes or
 * removes an owner, so two owners stepping down at once cannot leave the org with none: checking
 * first and writing after would let both pass.
 */
export function anotherOwner(orgId: string, id: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${members} WHERE ${members.orgId} = ${orgId} AND ${members.role} = 'owner' AND ${members.id} <> ${id})`;
}

export async function setMemberRole(
  db: Database,
  orgId: string,
  id: string,
  role: Role,
  when?: SQL,
): Promise<void> {
  await db.orm
    .update(members)
    .set({ role })
    .where(and(eq(members.orgId, orgId), eq(members.id, id), when));
}

export function deleteMemberStatement(db: Database, orgId: string, id: string, when?: SQL) {
  return db.orm.delete(members).where(and(eq(members.orgId, orgId), eq(members.id, id), when));
}

/** Stores a new scrypt hash (from `hashPassword`) for a member. */
export async function setMemberPassword(db: Database, memberId: string, passwordHash: string): Promise<void> {
  await db.orm.update(members).set({ passwordHash }).where(eq(members.id, memberId));
}
