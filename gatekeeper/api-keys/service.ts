import {
  type ApiKey,
  getApiKey,
  insertApiKeyStatement,
  listApiKeys,
  newApiKey,
  revokeApiKeyStatement,
} from '../db/api-keys.js';
import { auditEventOf, auditStatement } from '../db/audit-events.js';
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

/**
 * Who acts: the org every read and write is scoped to, and the member the audit event names and a key
 * is for by default (`cli` for the operator's `coursegate admin`, which names the key's member).
 */
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
  const made = newApiKey({ orgId: actor.orgId, memberId, name: input.name, now: deps.now().getTime() });
  // The key and its audit event (`api_key.create`, to: the key's name) land together or not at all.
  await deps.db.batch([
    insertApiKeyStatement(deps.db, made.row),
    auditStatement(
      deps.db,
      auditEventOf(actor, 'api_key.create', made.row.id, {
        from: null,
        to: made.row.name,
        at: made.row.createdAt,
      }),
    ),
  ]);
  return made;
}

/**
 * Revokes a key of the actor's org, audited as `api_key.revoke`; another org's key id is
 * `api_key_not_found`, rather than silently left alone. Revoking twice keeps the first time and writes no
 * second event.
 */
export async function revokeApiKeyOf(deps: ApiKeyDeps, actor: ApiKeyActor, id: string): Promise<ApiKey> {
  const row = await getApiKey(deps.db, actor.orgId, id);
  if (!row) throw new GatekeeperError('api_key_not_found', 'No such API key');
  if (row.revokedAt !== null) return row;
  const at = deps.now().getTime();
  await deps.db.batch([
    revokeApiKeyStatement(deps.db, actor.orgId, id, at),
    auditStatement(
      deps.db,
      auditEventOf(actor, 'api_key.revoke', row.id, { from: 'active', to: 'revoked', at }),
    ),
  ]);
  return (await getApiKey(deps.db, actor.orgId, id)) as ApiKey;
}

/** The org's keys, oldest first (the caller never shows the hash). */
export function listApiKeysOf(deps: { db: Database }, actor: { orgId: string }): Promise<ApiKey[]> {
  return listApiKeys(deps.db, actor.orgId);
}
