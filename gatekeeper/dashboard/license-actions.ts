import { newId } from '../crypto.js';
import { auditStatement } from '../db/audit-events.js';
import { getCourse } from '../db/courses.js';
import type { Database } from '../db/database.js';
import {
  getLicense,
  insertLicenseStatement,
  type LicenseRow,
  newLicenseRow,
  updateLicenseStatement,
} from '../db/licenses.js';
import { GatekeeperError } from '../errors.js';

/**
 * License changes made from the dashboard, each with its audit event in the same batch, as the
 * `/v1/licenses` routes write them (same actions, same columns).
 */
export interface Actor {
  db: Database;
  orgId: string;
  memberId: string;
  now: number;
}

async function load(a: Actor, id: string): Promise<LicenseRow> {
  const row = await getLicense(a.db, a.orgId, id);
  if (!row) throw new GatekeeperError('license_not_found', 'No such license');
  return row;
}

async function change(
  a: Actor,
  row: LicenseRow,
  action: string,
  set: Partial<LicenseRow>,
  from: string | null,
  to: string | null,
  reason = '',
): Promise<void> {
  await a.db.batch([
    updateLicenseStatement(a.db, a.orgId, row.id, set),
    auditStatement(a.db, {
      orgId: a.orgId,
      actor: a.memberId,
      action,
      subject: row.id,
      fromValue: from,
      toValue: to,
      reason,
      at: a.now,
    }),
  ]);
}

export async function issueLicense(
  a: Actor,
  input: { courseId: string; clientName: string; allowedOrigins: string[]; expiresAt: number | null },
): Promise<LicenseRow> {
  if (!(await getCourse(a.db, a.orgId, input.courseId)))
    throw new GatekeeperError('course_not_found', 'No such course');
  const row = newLicenseRow({
    orgId: a.orgId,
    courseId: input.courseId,
    clientName: input.clientName,
    allowedOrigins: input.allowedOrigins,
    startsAt: null,
    expiresAt: input.expiresAt,
    launchCap: null,
    notes: '',
    createdBy: a.memberId,
    now: a.now,
  });
  await a.db.batch([
    insertLicenseStatement(a.db, row),
    auditStatement(a.db, {
      orgId: a.orgId,
      actor: a.memberId,
      action: 'license.issue',
      subject: row.id,
      fromValue: null,
      toValue: row.clientName,
      reason: '',
      at: a.now,
    }),
  ]);
  return row;
}

/** Revokes or un-revokes; the next launch sees the new status (the row is never cached). */
export async function setLicenseRevoked(a: Actor, id: string, revoked: boolean): Promise<LicenseRow> {
  const row = await load(a, id);
  const status = revoked ? 'revoked' : 'active';
  if (row.status !== status)
    await change(
      a,
      row,
      revoked ? 'license.revoke' : 'license.unrevoke',
      { status, revokedAt: revoked ? a.now : null },
      row.status,
      status,
    );
  return load(a, id);
}

export async function extendLicense(a: Actor, id: string, expiresAt: number | null): Promise<void> {
  const row = await load(a, id);
  if (expiresAt !== null && row.startsAt !== null && expiresAt <= row.startsAt)
    throw new GatekeeperError('invalid_request', 'The new expiry must be after the license starts');
  const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  await change(a, row, 'license.extend', { expiresAt }, iso(row.expiresAt), iso(expiresAt));
}

/** A new token; the previous one stops opening the license at once. */
export async function reissueLicense(a: Actor, id: string): Promise<LicenseRow> {
  const row = await load(a, id);
  const jti = newId('jti');
  await change(
    a,
    row,
    'license.reissue',
    { currentJti: jti, tokenIssuedAt: Math.floor(a.now / 1000) },
    row.currentJti,
    jti,
  );
  return load(a, id);
}
