import { loadCourse } from '../courses/service.js';
import { auditStatement } from '../db/audit-events.js';
import type { Database } from '../db/database.js';
import {
  getIngestKey,
  type IngestKey,
  insertIngestKeyStatement,
  listIngestKeys,
  newIngestKey,
  revokeIngestKeyStatement,
} from '../db/ingest-keys.js';
import { GatekeeperError } from '../errors.js';

/**
 * The ingest key rules, one copy for the `/v1/courses/{id}/ingest-keys` API and the test seeders
 * (docs/architecture.md, "Services"): a key belongs to one course of the org, is shown once, and its
 * creation and revocation are audited in the same batch as the change.
 */
export interface IngestKeyDeps {
  db: Database;
  now: () => Date;
}

/** Who acts: the org every read and write is scoped to, and the member the audit event names. */
export interface IngestKeyActor {
  orgId: string;
  memberId: string;
}

export const MAX_INGEST_KEY_NAME = 100;

/**
 * Creates an ingest key for a course (id or slug), audited as `ingest_key.create`.
 *
 * @example
 * const { key } = await createIngestKeyFor({ db, now }, principal, { course: 'intro' });
 */
export async function createIngestKeyFor(
  deps: IngestKeyDeps,
  actor: IngestKeyActor,
  input: { course: string; name?: string | undefined },
): Promise<{ row: IngestKey; key: string }> {
  const name = input.name ?? 'portable';
  if (name.length < 1 || name.length > MAX_INGEST_KEY_NAME)
    throw new GatekeeperError('invalid_request', `A key name is 1 to ${MAX_INGEST_KEY_NAME} characters`);
  const course = await loadCourse(deps, actor, input.course);
  const now = deps.now().getTime();
  const made = newIngestKey({
    orgId: actor.orgId,
    courseId: course.id,
    name,
    createdBy: actor.memberId,
    now,
  });
  // The key and its audit event land together or not at all.
  await deps.db.batch([
    insertIngestKeyStatement(deps.db, made.row),
    auditStatement(deps.db, {
      orgId: actor.orgId,
      actor: actor.memberId,
      action: 'ingest_key.create',
      subject: made.row.id,
      fromValue: null,
      toValue: course.id,
      reason: '',
      at: now,
    }),
  ]);
  return made;
}

/**
 * Revokes an ingest key of a course, audited as `ingest_key.revoke`; the next ingest request that
 * presents it is refused. Revoking a revoked key changes nothing and writes no second event.
 */
export async function revokeIngestKeyOf(
  deps: IngestKeyDeps,
  actor: IngestKeyActor,
  input: { course: string; id: string },
): Promise<IngestKey> {
  const course = await loadCourse(deps, actor, input.course);
  const scope = { orgId: actor.orgId, courseId: course.id };
  const row = await getIngestKey(deps.db, scope, input.id);
  if (!row) throw new GatekeeperError('ingest_key_not_found', 'No such ingest key');
  if (row.revokedAt !== null) return row;
  const now = deps.now().getTime();
  await deps.db.batch([
    revokeIngestKeyStatement(deps.db, row.id, now),
    auditStatement(deps.db, {
      orgId: actor.orgId,
      actor: actor.memberId,
      action: 'ingest_key.revoke',
      subject: row.id,
      fromValue: 'active',
      toValue: 'revoked',
      reason: '',
      at: now,
    }),
  ]);
  return (await getIngestKey(deps.db, scope, input.id)) as IngestKey;
}

/** The ingest keys of a course (id or slug) of the actor's org. */
export async function listIngestKeysOf(
  deps: { db: Database },
  actor: { orgId: string },
  course: string,
): Promise<IngestKey[]> {
  return listIngestKeys(deps.db, actor.orgId, (await loadCourse(deps, actor, course)).id);
}
