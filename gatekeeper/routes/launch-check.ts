import type { LaunchErrorCode, Standard } from '../../protocol/index.js';
import { newSortableId } from '../crypto.js';
import { cappedLaunchStatements } from '../db/capped-launch.js';
import { type NewLaunchEvent, prepareLaunchEventInsert } from '../db/launch-events.js';
import { type LaunchRow, prepareLaunchLookup } from '../db/licenses.js';
import { getSession, prepareSessionInsert } from '../db/sessions.js';
import type { RouteDeps } from './context.js';

/** What the learner is told per refusal; the same text on the JSON launch and the cmi5 403 page. */
export const LAUNCH_MESSAGES: Record<LaunchErrorCode, string> = {
  token_invalid: 'This course package is not valid. Ask the course provider for a new one.',
  license_revoked: 'Access to this course has been withdrawn. Contact the course provider.',
  license_expired: 'The license for this course has expired. Contact the course provider.',
  license_not_started: 'The license for this course is not active yet.',
  origin_not_allowed: 'This course may not be launched from this site.',
  launch_limit_reached: 'This course has reached its launch limit for now.',
  course_not_live: 'This course is not available yet.',
  rate_limited: 'Too many launches at once; try again in a moment.',
};

export interface LaunchAllowed {
  ok: true;
  session: { id: string; token: string; expiresAt: string };
  /** `{contentUrl}/courses/<course>/<deployment>/`: the live deployment's root. */
  contentBase: string;
  /** The deployment's entry path as stored (not encoded). */
  entry: string;
}

export type LaunchOutcome = LaunchAllowed | { ok: false; code: LaunchErrorCode };

export interface LaunchRequest {
  token: string;
  standard: Standard;
  /** The origin the license's `allowedOrigins` is judged on; null when the request carried none. */
  origin: string | null;
}

function periodStart(period: LaunchRow['capPeriod'], now: Date): number {
  if (period === 'day') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'month') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return 0;
}

/**
 * The license check behind `POST /v1/launch` (DESIGN §3), for the SCORM stub and the cmi5 launch page: verifies
 * the token, reads the license row afresh, records one launch event per attempt and, when allowed, opens
 * an anonymous session. Nothing about the learner reaches it.
 */
export function createLaunchCheck(deps: RouteDeps) {
  const lookup = prepareLaunchLookup(deps.db);
  const ttlSeconds = Math.min(deps.config.sessionTtlSeconds ?? 8 * 3600, 24 * 3600);
  const launchEvent = prepareLaunchEventInsert(deps.db);
  const session = prepareSessionInsert(deps.db);
  const record = (event: NewLaunchEvent) => deps.db.batchPrepared([launchEvent(event)]);

  const refuse = async (
    code: LaunchErrorCode,
    event: Omit<NewLaunchEvent, 'allowed' | 'reason' | 'sessionId'>,
  ): Promise<LaunchOutcome> => {
    await record({ ...event, allowed: false, reason: code, sessionId: null });
    return { ok: false, code };
  };

  const check = async ({ token, standard, origin }: LaunchRequest): Promise<LaunchOutcome> => {
    const now = deps.now();
    const at = now.getTime();
    const base = { origin, standard, at, detail: null };
    const verified = await deps.tokens.verifyLicenseToken(token);
    if (!verified.ok)
      return refuse('token_invalid', { ...base, licenseId: null, orgId: null, detail: verified.failure });
    const claims = verified.claims;
    // Recorded like every other refusal: the per-address bucket in front bounds how many can be written.
    if (!deps.limits.perLicense.take(claims.licenseId, at))
      return refuse('rate_limited', { ...base, licenseId: claims.licenseId, orgId: claims.orgId });

    const row = await lookup(claims.licenseId);
    const ids = { ...base, licenseId: claims.licenseId, orgId: claims.orgId };
    if (!row) return refuse('token_invalid', { ...ids, detail: 'unknown_license' });
    if (row.orgId !== claims.orgId || row.courseId !== claims.courseId)
      return refuse('token_invalid', { ...ids, detail: 'claims_mismatch' });
    if (row.courseOrgId !== row.orgId) return refuse('token_invalid', { ...ids, detail: 'course_org' });
    if (row.currentJti !== claims.jti) return refuse('token_invalid', { ...ids, detail: 'reissued' });
    if (row.status === 'revoked') return refuse('license_revoked', ids);
    if (row.startsAt !== null && at < row.startsAt) return refuse('license_not_started', ids);
    if (row.expiresAt !== null && at >= row.expiresAt) return refuse('license_expired', ids);
    if (row.allowedOrigins !== '[]') {
      const allowed = JSON.parse(row.allowedOrigins) as string[];
      if (origin === null || !allowed.includes(origin)) return refuse('origin_not_allowed', ids);
    }
    if (row.liveDeploymentId === null || row.entry === null) return refuse('course_not_live', ids);

    const sessionId = newSortableId('ses', at);
    const exp = Math.floor(at / 1000) + ttlSeconds;
    const sessionRow = {
      id: sessionId,
      orgId: row.orgId,
      licenseId: row.id,
      courseId: row.courseId,
      deploymentId: row.liveDeploymentId,
      standard,
      createdAt: at,
      expiresAt: exp * 1000,
    };
    if (row.launchCap === null)
      await deps.db.batchPrepared([
        session(sessionRow),
        launchEvent({ ...ids, allowed: true, reason: 'ok', sessionId }),
      ]);
    else {
      const since = periodStart(row.capPeriod, now);
      await deps.db.batch(
        cappedLaunchStatements(deps.db, { session: sessionRow, event: ids, cap: row.launchCap, since }),
      );
      // The batch wrote the refusal event itself when the cap was reached.
      if (!(await getSession(deps.db, sessionId))) return { ok: false, code: 'launch_limit_reached' };
    }
    return {
      ok: true,
      session: {
        id: sessionId,
        token: deps.tokens.signSessionToken({ sessionId, courseId: row.courseId, licenseId: row.id, exp }),
        expiresAt: new Date(exp * 1000).toISOString(),
      },
      contentBase: `${deps.config.contentUrl}/courses/${row.courseId}/${row.liveDeploymentId}/`,
      entry: row.entry,
    };
  };

  return { check, record };
}
