import { z } from '@hono/zod-openapi';
import { and, eq, type SQL } from 'drizzle-orm';
import { hashPassword } from '../crypto.js';
import { deleteMemberKeysStatement } from '../db/api-keys.js';
import { auditEventOf, auditStatement, auditWhereStatement } from '../db/audit-events.js';
import type { Database } from '../db/database.js';
import {
  anotherOwner,
  deleteMemberStatement,
  findMemberByEmail,
  getMember,
  insertMemberStatement,
  type Member,
  newMemberRow,
  ROLES,
  type Role,
} from '../db/members.js';
import { members } from '../db/schema.js';
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

/**
 * Who acts: the org every read and write is scoped to, and the member the audit event names (an API
 * principal or a dashboard user; `cli` for the operator's `coursegate admin`, as in docs/gatekeeper.md).
 */
export interface MemberActor {
  orgId: string;
  memberId: string;
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
  const row = newMemberRow({
    orgId: actor.orgId,
    email,
    name: input.name?.trim() ?? null,
    role: input.role,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    now: deps.now().getTime(),
  });
  // Two requests at once can both pass the check above: the loser of the race gets the same answer.
  await refusingDuplicate(
    deps.db.batch([
      insertMemberStatement(deps.db, row),
      auditStatement(
        deps.db,
        auditEventOf(actor, 'member.add', row.id, {
          from: null,
          to: `${row.email} (${row.role})`,
          at: row.createdAt,
        }),
      ),
    ]),
    memberExists,
  );
  return row;
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
  if (member.role === input.role) return member;
  const stepsDown = member.role === 'owner';
  // The event lands only with the change: the role still as read, and another owner when one steps down.
  const when = and(
    eq(members.orgId, actor.orgId),
    eq(members.id, member.id),
    eq(members.role, member.role),
    stepsDown ? anotherOwner(actor.orgId, member.id) : undefined,
  ) as SQL;
  await deps.db.batch([
    auditWhereStatement(
      deps.db,
      auditEventOf(actor, 'member.role', member.id, {
        from: member.role,
        to: input.role,
        at: deps.now().getTime(),
      }),
      members,
      when,
    ),
    deps.db.orm.update(members).set({ role: input.role }).where(when),
  ]);
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
  // Their keys go with them, in the same batch, so no key outlives its member; the event lands only if
  // the member is still there to remove (and, for an owner, another owner stays).
  const event = auditEventOf(actor, 'member.remove', member.id, {
    from: `${member.email} (${member.role})`,
    to: null,
    at: deps.now().getTime(),
  });
  await deps.db.batch([
    auditWhereStatement(
      deps.db,
      event,
      members,
      and(eq(members.orgId, actor.orgId), eq(members.id, member.id), when) as SQL,
    ),
    deleteMemberKeysStatement(deps.db, member.id, when),
    deleteMemberStatement(deps.db, actor.orgId, member.id, when),
  ]);
  if (when && (await getMember(deps.db, actor.orgId, member.id))) throw lastOwner();
}
