import { type ApiKey, createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.js';
import type { Database } from '../db/database.js';
import { getMember } from '../db/members.js';
import { GatekeeperError } from '../errors.js';

/**
 * The API key rules, one copy for the `/v1/keys` API, the dashboard's members page, org creation and
 * the test seeders (docs/architecture.md, "Services"): a key belongs to a member of the org, and its
 * secret exists in clear only in the answer that creates it.
 */
export interface ApiKeyDeps {
  db: Database;
  now: () => Date;
}

/** Who acts: the org every read and write is scoped to, and the member a key is for by default. */
export interface ApiKeyActor {
  orgId: string;
  memberId: string;
}

export const MAX_KEY_NAME = 100;

/**
 * Creates an API key for a member of the actor's org (default: the actor).
 *
 * @example
 * const { key } = await createApiKeyFor({ db, now }, principal, { name: 'ci' });
 */
export async function createApiKeyFor(
  deps: ApiKeyDeps,
  actor: ApiKeyActor,
  input: { name: string; memberId?: string | undefined },
): Promise<{ row: ApiKey; key: string }> {
  if (input.name.length < 1 || input.name.length > MAX_KEY_NAME)
    throw new GatekeeperError('invalid_request', `A key name is 1 to ${MAX_KEY_NAME} characters`);
  const memberId = input.memberId ?? actor.memberId;
  if (!(await getMember(deps.db, actor.orgId, memberId)))
    throw new GatekeeperError('member_not_found', 'No such member');
  return createApiKey(deps.db, {
    orgId: actor.orgId,
    memberId,
    name: input.name,
    now: deps.now().getTime(),
  });
}

/**
 * Revokes a key of the actor's org; another org's key id is `api_key_not_found`, rather than silently
 * left alone. Revoking twice keeps the first time.
 */
export async function revokeApiKeyOf(
  deps: ApiKeyDeps,
  actor: { orgId: string },
  id: string,
): Promise<ApiKey> {
  if (!(await getApiKey(deps.db, actor.orgId, id)))
    throw new GatekeeperError('api_key_not_found', 'No such API key');
  await revokeApiKey(deps.db, actor.orgId, id, deps.now().getTime());
  return (await getApiKey(deps.db, actor.orgId, id)) as ApiKey;
}

/** The org's keys, oldest first (the caller never shows the hash). */
export function listApiKeysOf(deps: { db: Database }, actor: { orgId: string }): Promise<ApiKey[]> {
  return listApiKeys(deps.db, actor.orgId);
}
