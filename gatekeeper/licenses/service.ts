import { normalizeLmsOrigin } from '../../protocol/origin.js';
import { loadCourse } from '../courses/service.js';
import { newId } from '../crypto.js';
import { auditStatement } from '../db/audit-events.js';
import type { Database } from '../db/database.js';
import {
  type CapPeriod,
  getLicense,
  insertLicenseStatement,
  type LicenseRow,
  listLicenses,
  newLicenseRow,
  pageLicenses,
  updateLicenseStatement,
} from '../db/licenses.js';
import { GatekeeperError } from '../errors.js';
import { outboxStatements } from '../outbox/record.js';
import type { TokenService } from '../tokens.js';

/**
 * The license rules and their audit events, one copy for every caller: the `/v1/licenses` API, the
 * dashboard's license pages, the demo seeding and the test seeders (docs/architecture.md, "Services").
 * Every change and its audit event go in one batch.
 */
export interface LicenseDeps {
  db: Database;
  now: () => Date;
}

/**
 * Who acts: the org every read and write is scoped to, and the member the audit event names (an API
 * principal or a dashboard user both are one).
 */
export interface Actor {
  orgId: string;
  memberId: string;
}

export interface IssueLicense {
  /** The course's id or slug. */
  courseId: string;
  clientName: string;
  allowedOrigins?: readonly string[];
  startsAt?: number | null;
  expiresAt?: number | null;
  launchCap?: { limit: number; period: CapPeriod } | null;
  notes?: string;
}

export const MAX_ORIGINS = 50;
export const MAX_CLIENT_NAME = 200;
export const MAX_LICENSE_REASON = 500;
export const MAX_LICENSE_NOTES = 2000;

const invalid = (message: string) => new GatekeeperError('invalid_request', message);

/**
 * The allowed origins as a launch's `Origin` will name them (https://LMS.example.com:443 becomes
 * https://lms.example.com), each once; refuses anything that is not a bare origin.
 */
export function licenseOrigins(list: readonly string[]): string[] {
  const origins = list.map((o) => {
    const origin = normalizeLmsOrigin(o);
    if (origin === null)
      throw invalid(`${o} is not an origin: give scheme and host, such as https://lms.example.com (no path)`);
    return origin;
  });
  if (origins.length > MAX_ORIGINS) throw invalid(`At most ${MAX_ORIGINS} allowed origins`);
  return [...new Set(origins)];
}

/** A reason for the audit log: optional, trimmed, bounded. */
function reasonOf(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (text.length > MAX_LICENSE_REASON)
    throw invalid(`Keep the reason under ${MAX_LICENSE_REASON} characters`);
  return text;
}

/** The license of the actor's org, or `not_found`: another org's id is as unknown as a made-up one. */
export async function loadLicense(
  deps: { db: Database },
  actor: { orgId: string },
  id: string,
): Promise<LicenseRow> {
  const row = await getLicense(deps.db, actor.orgId, id);
  if (!row) throw new GatekeeperError('license_not_found', 'No such license');
  return row;
}

/** One page of the org's licenses, newest first, optionally those matching a client name prefix or id. */
export function pageLicensesOf(
  deps: LicenseDeps,
  actor: Actor,
  q: Parameters<typeof pageLicenses>[2],
): ReturnType<typeof pageLicenses> {
  return pageLicenses(deps.db, actor.orgId, q);
}

/** The org's licenses, newest first; a course named (by id or slug) must exist. */
export async function listLicensesOf(
  deps: LicenseDeps,
  actor: Actor,
  input: { courseId?: string | undefined } = {},
): Promise<LicenseRow[]> {
  const ref = input.courseId;
  // A course named by slug, or one that does not exist, must not quietly list nothing.
  const course = ref === undefined ? undefined : await loadCourse(deps, actor, ref);
  return listLicenses(deps.db, actor.orgId, course?.id);
}

/**
 * Issues a license for a course of the actor's org, audited as `license.issue`.
 *
 * @example
 * const row = await issueLicense({ db, now }, principal, { courseId: 'intro', clientName: 'Globex LMS' });
 */
export async function issueLicense(
  deps: LicenseDeps,
  actor: Actor,
  input: IssueLicense,
): Promise<LicenseRow> {
  const clientName = input.clientName.trim();
  if (!clientName || clientName.length > MAX_CLIENT_NAME)
    throw invalid(`Give the client a name (at most ${MAX_CLIENT_NAME} characters)`);
  const allowedOrigins = licenseOrigins(input.allowedOrigins ?? []);
  const notes = input.notes ?? '';
  if (notes.length > MAX_LICENSE_NOTES) throw invalid(`Keep the notes under ${MAX_LICENSE_NOTES} characters`);
  const startsAt = input.startsAt ?? null;
  const expiresAt = input.expiresAt ?? null;
  if (startsAt !== null && expiresAt !== null && startsAt >= expiresAt)
    throw invalid('The license must start before it expires');
  const course = await loadCourse(deps, actor, input.courseId);
  const row = newLicenseRow({
    orgId: actor.orgId,
    courseId: course.id,
    clientName,
    allowedOrigins,
    startsAt,
    expiresAt,
    launchCap: input.launchCap ?? null,
    notes,
    createdBy: actor.memberId,
    now: deps.now().getTime(),
  });
  await deps.db.batch([
    insertLicenseStatement(deps.db, row),
    auditStatement(deps.db, {
      orgId: actor.orgId,
      actor: actor.memberId,
      action: 'license.issue',
      subject: row.id,
      fromValue: null,
      toValue: row.clientName,
      reason: '',
      at: row.createdAt,
    }),
    ...licenseEvent(deps.db, 'license.created', row, row.createdAt),
  ]);
  return row;
}

/** The webhook event of a license change, for the change's batch (docs/integrations.md, "Events"). */
function licenseEvent(
  db: Database,
  type: 'license.created' | 'license.revoked',
  row: LicenseRow,
  at: number,
) {
  const data = { licenseId: row.id, courseId: row.courseId, clientName: row.clientName };
  return outboxStatements(db, { orgId: row.orgId, type, subject: row.id, data, at }).statements;
}

/** Applies a change and its audit event in one batch, then reads the fresh row. */
async function change(
  deps: LicenseDeps,
  actor: Actor,
  row: LicenseRow,
  action: string,
  set: Partial<LicenseRow>,
  values: { from: string | null; to: string | null; reason: string | undefined; at: number },
): Promise<LicenseRow> {
  const revoked = action === 'license.revoke';
  await deps.db.batch([
    ...(revoked ? licenseEvent(deps.db, 'license.revoked', row, values.at) : []),
    updateLicenseStatement(deps.db, actor.orgId, row.id, set),
    auditStatement(deps.db, {
      orgId: actor.orgId,
      actor: actor.memberId,
      action,
      subject: row.id,
      fromValue: values.from,
      toValue: values.to,
      reason: reasonOf(values.reason),
      at: values.at,
    }),
  ]);
  return loadLicense(deps, actor, row.id);
}

export interface LicenseChange {
  id: string;
  reason?: string | undefined;
}

/**
 * Revokes (`revoked: true`) or un-revokes; the next launch sees the new status (the row is never cached).
 * Already so: the row is kept as it is (a revocation keeps the time it really was) and no audit event
 * records a change that is none.
 */
export async function setLicenseRevoked(
  deps: LicenseDeps,
  actor: Actor,
  input: LicenseChange & { revoked: boolean },
): Promise<LicenseRow> {
  const row = await loadLicense(deps, actor, input.id);
  const status = input.revoked ? 'revoked' : 'active';
  reasonOf(input.reason);
  if (row.status === status) return row;
  const now = deps.now().getTime();
  return change(
    deps,
    actor,
    row,
    input.revoked ? 'license.revoke' : 'license.unrevoke',
    { status, revokedAt: input.revoked ? now : null },
    { from: row.status, to: status, reason: input.reason, at: now },
  );
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Sets a new expiry (`null`: never expires); it must fall after the license starts. */
export async function extendLicense(
  deps: LicenseDeps,
  actor: Actor,
  input: LicenseChange & { expiresAt: number | null },
): Promise<LicenseRow> {
  const row = await loadLicense(deps, actor, input.id);
  const { expiresAt } = input;
  if (expiresAt !== null && row.startsAt !== null && expiresAt <= row.startsAt)
    throw invalid('The new expiry must be after the license starts');
  // Audited as stored (UTC), whatever offset the caller wrote it with.
  return change(
    deps,
    actor,
    row,
    'license.extend',
    { expiresAt },
    { from: iso(row.expiresAt), to: iso(expiresAt), reason: input.reason, at: deps.now().getTime() },
  );
}

/** A new token id: the previous token stops opening the license at once. */
export async function reissueLicense(
  deps: LicenseDeps,
  actor: Actor,
  input: LicenseChange,
): Promise<LicenseRow> {
  const row = await loadLicense(deps, actor, input.id);
  const jti = newId('jti');
  const now = deps.now().getTime();
  return change(
    deps,
    actor,
    row,
    'license.reissue',
    { currentJti: jti, tokenIssuedAt: Math.floor(now / 1000) },
    { from: row.currentJti, to: jti, reason: input.reason, at: now },
  );
}

/** The license's current token (its `jti` and issue time as stored). */
export function licenseToken(
  tokens: Pick<TokenService, 'signLicenseToken'>,
  row: LicenseRow,
): Promise<string> {
  return tokens.signLicenseToken({
    licenseId: row.id,
    orgId: row.orgId,
    courseId: row.courseId,
    jti: row.currentJti,
    iat: row.tokenIssuedAt,
  });
}
