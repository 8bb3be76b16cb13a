import { z } from '@hono/zod-openapi';
import { hashPassword } from '../crypto.js';
import { deleteMemberKeysStatement } from '../db/api-keys.js';
import type { Database } from '../db/database.js';
import {
  anotherOwner,
  createMember,
  deleteMemberStatement,
  findMemberByEmail,
  getMember,
  type Member,
  ROLES,
  type Role,
  setMemberRole,
} from '../db/members.js';
import { refusingDuplicate } from '../db/unique-violation.js';
import { GatekeeperError } from '../errors.js';

/**
 * The member rules, one copy for the `/v1/members` API, the dashboard's members page, org creation and
 * the test seeders (docs/architecture.md, "Services"): one email per member across orgs, and an
 * organisation always keeps an owner.
 */
export interface MemberDeps {
  db: Database;
  now: () => Date;
}

/** Who acts: the org every read and write is scoped to (an API principal or a dashboard user). */
export interface MemberActor {
  orgId: string;
}

export const MEMBER_EMAIL = z.email().max(254);
export const MEMBER_NAME = z.string().trim().min(1).max(200);
export const MIN_PASSWORD = 12;

export interface NewMember {
  email: string;
  name?: string | null | undefined;
  role: Role;
  /** A first dashboard password; without one the member signs in once an owner sets one. */
  password?: string | undefined;
}

const invalid = (message: string) => new GatekeeperError('invalid_request', message);

/** Refuses an email no member may have, or one that already belongs to a member (of any org). */
export async function checkNewEmail(db: Database, email: string): Promise<void> {
  if (!MEMBER_EMAIL.safeParse(email).success) throw invalid('Give a valid email address');
  if (await findMemberByEmail(db, email)) throw memberExists();
}

const memberExists = () => new GatekeeperError('member_exists', 'That email already belongs to a member');

/**
 * Adds a member to the actor's org.
 *
 * @example
 * await addMember({ db, now }, principal, { email: 'ada@acme.test', role: 'member' });
 */
export async function addMember(deps: MemberDeps, actor: MemberActor, input: NewMember): Promise<Member> {
  const email = input.email.trim();
  await checkNewEmail(deps.db, email);
  if (!ROLES.includes(input.role)) throw invalid(`A role is one of ${ROLES.join(', ')}`);
  if (input.name != null && !MEMBER_NAME.safeParse(input.name).success)
    throw invalid('A name is 1 to 200 characters');
  if (input.password !== undefined && input.password.length < MIN_PASSWORD)
    throw invalid(`A password has at least ${MIN_PASSWORD} characters`);
  // Two requests at once can both pass the check above: the loser of the race gets the same answer.
  return refusingDuplicate(
    createMember(deps.db, {
      orgId: actor.orgId,
      email,
      name: input.name?.trim() ?? null,
      role: input.role,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      now: deps.now().getTime(),
    }),
    memberExists,
  );
}

async function loadMember(deps: MemberDeps, actor: MemberActor, id: string): Promise<Member> {
  const member = await getMember(deps.db, actor.orgId, id);
  if (!member) throw new GatekeeperError('member_not_found', 'No such member');
  return member;
}

/** An organisation always keeps at least one owner: the demoting or removing write is conditional on it. */
const lastOwner = () => new GatekeeperError('last_owner', 'An organisation needs at least one owner');

/** Gives a member of the actor's org a role; the last owner cannot step down. */
export async function changeMemberRole(
  deps: MemberDeps,
  actor: MemberActor,
  input: { id: string; role: Role },
): Promise<Member> {
  if (!ROLES.includes(input.role)) throw invalid(`A role is one of ${ROLES.join(', ')}`);
  const member = await loadMember(deps, actor, input.id);
  const stepsDown = member.role === 'owner' && input.role !== 'owner';
  await setMemberRole(
    deps.db,
    actor.orgId,
    member.id,
    input.role,
    stepsDown ? anotherOwner(actor.orgId, member.id) : undefined,
  );
  // The write was conditional: an owner stepping down at the same moment may have taken the last turn.
  if (stepsDown && (await getMember(deps.db, actor.orgId, member.id))?.role === 'owner') throw lastOwner();
  return { ...member, role: input.role };
}

/** Removes a member of the actor's org with their API keys; the last owner cannot be removed. */
export async function removeMember(
  deps: MemberDeps,
  actor: MemberActor,
  input: { id: string },
): Promise<void> {
  const member = await loadMember(deps, actor, input.id);
  const when = member.role === 'owner' ? anotherOwner(actor.orgId, member.id) : undefined;
  // Their keys go with them, in the same batch, so no key outlives its member.
  await deps.db.batch([
    deleteMemberKeysStatement(deps.db, member.id, when),
    deleteMemberStatement(deps.db, actor.orgId, member.id, when),
  ]);
  if (when && (await getMember(deps.db, actor.orgId, member.id))) throw lastOwner();
}
