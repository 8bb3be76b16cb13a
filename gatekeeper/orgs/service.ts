import { z } from '@hono/zod-openapi';
import { createApiKeyFor } from '../api-keys/service.js';
import type { Member } from '../db/members.js';
import { createOrg, type Org } from '../db/orgs.js';
import { GatekeeperError } from '../errors.js';
import { addMember, checkNewEmail, type MemberDeps } from '../members/service.js';

/**
 * Making an organisation: the org, its first owner and the owner's first API key, for every caller —
 * `coursegate admin init` / `add-org`, the demo seeding and the test seeders (docs/architecture.md,
 * "Services").
 */
export const ORG_NAME = z.string().trim().min(1).max(200);

export interface NewOrg {
  name: string;
  owner: {
    email: string;
    name?: string | null | undefined;
    /** A first dashboard password; without one the owner gets one later (`admin set-password`). */
    password?: string | undefined;
  };
  /** The name of the owner's API key, e.g. `admin init`. */
  keyName: string;
}

export interface CreatedOrg {
  org: Org;
  owner: Member;
  /** The owner's API key: the only time the secret exists outside its holder. */
  key: string;
}

/**
 * Creates an organisation with its owner and an API key. The owner's email is checked before anything
 * is written, so a refused call leaves no organisation without an owner behind.
 *
 * @example
 * const { org, key } = await createOrgWithOwner({ db, now }, {
 *   name: 'Acme', owner: { email: 'owner@acme.test' }, keyName: 'admin init',
 * });
 */
export async function createOrgWithOwner(deps: MemberDeps, input: NewOrg): Promise<CreatedOrg> {
  if (!ORG_NAME.safeParse(input.name).success)
    throw new GatekeeperError('invalid_request', 'An organisation name is 1 to 200 characters');
  await checkNewEmail(deps.db, input.owner.email.trim());
  const now = deps.now().getTime();
  const org = await createOrg(deps.db, { name: input.name.trim(), now });
  // The operator makes the org (`admin init`, the demo seeding): its trail names `cli` as the actor.
  const owner = await addMember(deps, { orgId: org.id, memberId: 'cli' }, { ...input.owner, role: 'owner' });
  const { key } = await createApiKeyFor(
    deps,
    { orgId: org.id, memberId: 'cli' },
    { name: input.keyName, memberId: owner.id },
  );
  return { org, owner, key };
}
