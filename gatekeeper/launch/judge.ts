import type { LaunchErrorCode } from '../../protocol/index.js';
import type { LaunchRow } from '../db/licenses.js';
import type { LicenseClaims } from '../tokens.js';

/** Why a launch is refused; `detail` goes to the launch event only, never to the learner. */
export interface Refusal {
  allowed: false;
  code: LaunchErrorCode;
  detail: string | null;
}

/** A license row that passed every check but the cap: its course has a live deployment. */
export type LiveRow = LaunchRow & { liveDeploymentId: string; entry: string };

export const refusal = (code: LaunchErrorCode, detail: string | null = null): Refusal => ({
  allowed: false,
  code,
  detail,
});

/**
 * The verdict on a license row read for this launch, in the order the refusals are documented
 * (docs/gatekeeper.md, "Launch"): the row must match the token's claims, then status, dates, origin and a
 * live course. The launch cap is not judged here: counting and writing must be one atomic step
 * (capped-launch.ts).
 */
export function judgeLaunch(
  row: LaunchRow | undefined,
  claims: LicenseClaims,
  at: number,
  origin: string | null,
): Refusal | { allowed: true; row: LiveRow } {
  if (!row) return refusal('token_invalid', 'unknown_license');
  if (row.orgId !== claims.orgId || row.courseId !== claims.courseId)
    return refusal('token_invalid', 'claims_mismatch');
  if (row.courseOrgId !== row.orgId) return refusal('token_invalid', 'course_org');
  if (row.currentJti !== claims.jti) return refusal('token_invalid', 'reissued');
  if (row.status === 'revoked') return refusal('license_revoked');
  if (row.startsAt !== null && at < row.startsAt) return refusal('license_not_started');
  if (row.expiresAt !== null && at >= row.expiresAt) return refusal('license_expired');
  if (row.allowedOrigins !== '[]') {
    const allowed = JSON.parse(row.allowedOrigins) as string[];
    if (origin === null || !allowed.includes(origin)) return refusal('origin_not_allowed');
  }
  if (row.liveDeploymentId === null || row.entry === null) return refusal('course_not_live');
  return { allowed: true, row: row as LiveRow };
}
