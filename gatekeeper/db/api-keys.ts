import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { newId, randomToken, sha256Hex } from '../crypto.js';
import type { Database } from './database.js';
import type { Role } from './members.js';
import { apiKeys, members } from './schema.js';

export type ApiKey = typeof apiKeys.$inferSelect;
/** An API key as listings show it: never the hash. */
export type PublicApiKey = Omit<ApiKey, 'hash'>;

export const API_KEY_PREFIX = 'cg_';

export function publicApiKey({ hash, ...k }: ApiKey): PublicApiKey {
  return k;
}

/** Creates a key; the returned `key` is the only time the secret exists outside its holder. */
export async function createApiKey(
  db: Database,
  input: { orgId: string; memberId: string; name: string; now: number },
): Promise<{ row: ApiKey; key: string }> {
  const made = newApiKey(input);
  await insertApiKeyStatement(db, made.row);
  return made;
}

/** A new key and its row, for `insertApiKeyStatement` in the batch that also records it. */
export function newApiKey(input: { orgId: string; memberId: string; name: string; now: number }): {
  row: ApiKey;
  key: string;
} {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const row: ApiKey = {
    id: newId('key'),
    orgId: input.orgId,
    memberId: input.memberId,
    name: input.name,
    prefix: key.slice(0, 10),
    hash: sha256Hex(key),
    createdAt: input.now,
    lastUsedAt: null,
    revokedAt: null,
  };
  return { row, key };
}

export function insertApiKeyStatement(db: Database, row: ApiKey) {
  return db.orm.insert(apiKeys).values(row);
}

/** The principal behind a presented key, or undefined when it is unknown or revoked. */
export async function findPrincipalByKey(
  db: Database,
  key: string,
): Promise<{ keyId: string; orgId: string; memberId: string; role: Role } | undefined> {
  return db.orm
    .select({ keyId: apiKeys.id, orgId: members.orgId, memberId: members.id, role: members.role })
    .from(apiKeys)
    .innerJoin(members, eq(members.id, apiKeys.memberId))
    .where(and(eq(apiKeys.hash, sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
}

export async function touchApiKey(db: Database, id: string, now: number): Promise<void> {
  await db.orm.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}

export async function listApiKeys(db: Database, orgId: string): Promise<ApiKey[]> {
  return db.orm.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(apiKeys.createdAt).all();
}

export async function getApiKey(db: Database, orgId: string, id: string): Promise<ApiKey | undefined> {
  return db.orm
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)))
    .get();
}

/** Revokes a key not yet revoked (a second revoke keeps the first time). */
export function revokeApiKeyStatement(db: Database, orgId: string, id: string, now: number) {
  return db.orm
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
}

/** Deletes every key of a member, to run in the same batch as removing the member. */
export function deleteMemberKeysStatement(db: Database, memberId: string, when?: SQL) {
  return db.orm.delete(apiKeys).where(and(eq(apiKeys.memberId, memberId), when));
}
