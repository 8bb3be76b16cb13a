import { and, eq, isNull } from 'drizzle-orm';
import { newId, randomToken, sha256Hex } from '../crypto.js';
import type { Database } from './database.js';
import { ingestKeys } from './schema.js';

export type IngestKey = typeof ingestKeys.$inferSelect;

export const INGEST_KEY_PREFIX = 'cgi_';
/** 32 random bytes as base64url. */
const INGEST_KEY = /^cgi_[A-Za-z0-9_-]{43}$/;

/** Whether `value` has the shape of an ingest key (checked before hashing anything). */
export function isIngestKey(value: string): boolean {
  return INGEST_KEY.test(value);
}

type NewIngestKey = { orgId: string; courseId: string; name: string; createdBy: string; now: number };

/** A new key and the row that stores its hash, for the caller to insert (with its audit event). */
export function newIngestKey(input: NewIngestKey): { row: IngestKey; key: string } {
  const key = `${INGEST_KEY_PREFIX}${randomToken(32)}`;
  const row: IngestKey = {
    id: newId('ingk'),
    orgId: input.orgId,
    courseId: input.courseId,
    name: input.name,
    prefix: key.slice(0, 12),
    hash: sha256Hex(key),
    createdBy: input.createdBy,
    createdAt: input.now,
    revokedAt: null,
  };
  return { row, key };
}

export function insertIngestKeyStatement(db: Database, row: IngestKey) {
  return db.orm.insert(ingestKeys).values(row);
}

/** The row behind a presented key, revoked or not (the caller tells the two apart), or undefined. */
export async function findIngestKey(db: Database, key: string): Promise<IngestKey | undefined> {
  return db.orm
    .select()
    .from(ingestKeys)
    .where(eq(ingestKeys.hash, sha256Hex(key)))
    .get();
}

export async function listIngestKeys(db: Database, orgId: string, courseId: string): Promise<IngestKey[]> {
  return db.orm
    .select()
    .from(ingestKeys)
    .where(and(eq(ingestKeys.orgId, orgId), eq(ingestKeys.courseId, courseId)))
    .orderBy(ingestKeys.createdAt)
    .all();
}

export async function getIngestKey(
  db: Database,
  scope: { orgId: string; courseId: string },
  id: string,
): Promise<IngestKey | undefined> {
  return db.orm
    .select()
    .from(ingestKeys)
    .where(
      and(eq(ingestKeys.orgId, scope.orgId), eq(ingestKeys.courseId, scope.courseId), eq(ingestKeys.id, id)),
    )
    .get();
}

/** Marks the key revoked (once: a second revoke keeps the first time); to batch with its audit event. */
export function revokeIngestKeyStatement(db: Database, id: string, now: number) {
  return db.orm
    .update(ingestKeys)
    .set({ revokedAt: now })
    .where(and(eq(ingestKeys.id, id), isNull(ingestKeys.revokedAt)));
}
