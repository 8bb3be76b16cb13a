import { LAUNCH_ERROR_CODES, type LaunchErrorCode, type Standard } from '../../protocol/index.js';
import { refusalMessage } from '../../protocol/refusals.js';
import { newSortableId } from '../crypto.js';
import { cappedLaunchStatements } from '../db/capped-launch.js';
import type { NowQueries } from '../db/database.js';
import { type NewLaunchEvent, prepareLaunchEventInsert } from '../db/launch-events.js';
import { type LaunchRow, prepareLaunchLookup } from '../db/licenses.js';
import { getSession, type Session } from '../db/sessions.js';
import type { RouteDeps } from '../http/app-types.js';
import { contentOriginsOf, orgContentUrl } from '../orgs/content-url.js';
import type { LicenseClaims } from '../tokens.js';
import { judgeLaunch, type LiveRow, type Refusal, refusal } from './judge.js';
import { judgedOrigin } from './lms-origin.js';

/** The refusal messages of `POST /v1/launch`: the texts the learner reads on the launch page. */
export const LAUNCH_MESSAGES = Object.fromEntries(
  LAUNCH_ERROR_CODES.map((code) => [code, refusalMessage(code)]),
) as Record<LaunchErrorCode, string>;

export interface LaunchAllowed {
  ok: true;
  session: { id: string; token: string; expiresAt: string };
  /** `{org content URL}/courses/<course>/<deployment>/`: the live deployment's root on its org's origin. */
  contentBase: string;
  /** The deployment's entry path as stored (not encoded). */
  entry: string;
}

/** A refusal; `rate_limited` carries the seconds until the license's bucket has a token (`Retry-After`). */
export type LaunchOutcome = LaunchAllowed | { ok: false; code: LaunchErrorCode; retryAfter?: number };

export interface LaunchRequest {
  token: string;
  standard: Standard;
  /** The request's `Origin`; null when it carried none. */
  origin: string | null;
  /** The LMS origin the gated cmi5 launch page names (launch/lms-origin.ts). */
  lmsOrigin?: string | undefined;
}

function periodStart(period: LaunchRow['capPeriod'], now: Date): number {
  if (period === 'day') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'month') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return 0;
}

/** What `grouped` work answers for a capped license: the general path takes it from there. */
const CAPPED = Symbol('capped');

/**
 * The license check behind `POST /v1/launch`, for the SCORM stub and the cmi5 launch page: verifies
 * the token, reads the license row afresh, records one launch event per attempt and, when allowed, opens
 * an anonymous session. Nothing about the learner reaches it.
 *
 * On SQLite the read, the verdict and the writes of every launch that arrives in one turn of the event
 * loop run in that turn's one transaction (`Database.grouped`): each launch still reads the row as
 * committed when its turn comes, and answers only once its writes are committed. A capped license and
 * D1 take the general path, a read and then one atomic batch.
 */
export function createLaunchCheck(deps: RouteDeps) {
  const lookup = prepareLaunchLookup(deps.db);
  const ttlSeconds = Math.min(deps.config.sessionTtlSeconds ?? 8 * 3600, 24 * 3600);
  const launchEvent = prepareLaunchEventInsert(deps.db);
  const record = (event: NewLaunchEvent) => deps.db.batchPrepared([launchEvent(event)]);
  type Ids = Omit<NewLaunchEvent, 'allowed' | 'reason' | 'sessionId'>;
  // Objects on this path are written out, never a spread followed by more properties: on Node 20 each
  // property added after a spread costs about 0.6 µs, which came to several µs per launch.
  const event = (
    ids: Ids,
    allowed: boolean,
    reason: string,
    detail: string | null,
    sessionId: string | null,
  ): NewLaunchEvent => ({
    licenseId: ids.licenseId,
    orgId: ids.orgId,
    allowed,
    reason,
    detail,
    origin: ids.origin,
    standard: ids.standard,
    sessionId,
    at: ids.at,
  });
  const refused = ({ code, detail }: Refusal, ids: Ids) => event(ids, false, code, detail, null);

  const origins = contentOriginsOf(deps.config);
  const sharedOrigin = new URL(origins.shared).origin;
  const baseOf = (row: LaunchRow) => orgContentUrl(origins, { id: row.orgId, contentUrl: row.orgContentUrl });
  /**
   * The ids with the origin the license is judged on: a request from the license's own org content
   * origin (or, for a course not redeployed since the split, the shared one) is the cmi5 launch page,
   * whose LMS origin claim then counts. Any other org's origin is judged as itself.
   */
  const judged = (ids: Ids, row: LaunchRow | undefined, lmsOrigin: string | undefined): Ids => {
    if (!row || ids.origin === null) return ids;
    const contentOrigins = [new URL(baseOf(row)).origin];
    if (row.sharedOrigin === 1) contentOrigins.push(sharedOrigin);
    return {
      licenseId: ids.licenseId,
      orgId: ids.orgId,
      origin: judgedOrigin({ requestOrigin: ids.origin, lmsOrigin, contentOrigins }),
      standard: ids.standard,
      at: ids.at,
      detail: ids.detail,
    };
  };

  const refuse = async (why: Refusal, ids: Ids): Promise<LaunchOutcome> => {
    await record(refused(why, ids));
    return { ok: false, code: why.code };
  };

  const sessionRow = (row: LiveRow, standard: Standard, at: number): Session => ({
    id: newSortableId('ses', at),
    orgId: row.orgId,
    licenseId: row.id,
    courseId: row.courseId,
    deploymentId: row.liveDeploymentId,
    standard,
    createdAt: at,
    expiresAt: (Math.floor(at / 1000) + ttlSeconds) * 1000,
  });

  const allowed = (row: LiveRow, s: Session): LaunchAllowed => ({
    ok: true,
    session: {
      id: s.id,
      token: deps.tokens.signSessionToken({
        sessionId: s.id,
        orgId: s.orgId,
        courseId: s.courseId,
        licenseId: s.licenseId,
        deploymentId: s.deploymentId,
        standard: s.standard,
        createdAt: s.createdAt,
        exp: s.expiresAt / 1000,
      }),
      expiresAt: new Date(s.expiresAt).toISOString(),
    },
    contentBase: `${baseOf(row)}/courses/${row.courseId}/${row.liveDeploymentId}/`,
    entry: row.entry,
  });

  /** Runs inside the turn's transaction: everything synchronous, nothing but reads and writes. */
  const decideNow = (
    now: NowQueries,
    claims: LicenseClaims,
    request: Ids,
    standard: Standard,
    lmsOrigin: string | undefined,
  ) => {
    const row = now.get<LaunchRow>(lookup.query, { id: claims.licenseId });
    const ids = judged(request, row, lmsOrigin);
    const verdict = judgeLaunch(row, claims, ids.at, ids.origin);
    if (!verdict.allowed) {
      now.run(...launchEvent(refused(verdict, ids)));
      return verdict;
    }
    if (verdict.row.launchCap !== null) return CAPPED;
    const s = sessionRow(verdict.row, standard, ids.at);
    now.run(...launchEvent(event(ids, true, 'ok', null, s.id)));
    return { allowed: true, row: verdict.row, session: s } as const;
  };

  const decide = async (
    claims: LicenseClaims,
    request: Ids,
    standard: Standard,
    now: Date,
    lmsOrigin: string | undefined,
  ) => {
    const read = await lookup.read(claims.licenseId);
    const ids = judged(request, read, lmsOrigin);
    const verdict = judgeLaunch(read, claims, ids.at, ids.origin);
    if (!verdict.allowed) return refuse(verdict, ids);
    const { row } = verdict;
    const s = sessionRow(row, standard, ids.at);
    if (row.launchCap === null)
      await deps.db.batchPrepared([launchEvent(event(ids, true, 'ok', null, s.id))]);
    else {
      const since = periodStart(row.capPeriod, now);
      await deps.db.batch(
        cappedLaunchStatements(deps.db, { session: s, event: ids, cap: row.launchCap, since }),
      );
      // The batch wrote the refusal event itself when the cap was reached.
      if (!(await getSession(deps.db, s.id))) return { ok: false, code: 'launch_limit_reached' } as const;
    }
    return allowed(row, s);
  };

  const check = async ({ token, standard, origin, lmsOrigin }: LaunchRequest): Promise<LaunchOutcome> => {
    const now = deps.now();
    const at = now.getTime();
    const verified = await deps.tokens.verifyLicenseToken(token);
    if (!verified.ok && verified.failure === 'retired') {
      const { licenseId, orgId } = verified.claims;
      return refuse(refusal('signing_key_retired'), { origin, standard, at, detail: null, licenseId, orgId });
    }
    if (!verified.ok)
      return refuse(refusal('token_invalid', verified.failure), {
        origin,
        standard,
        at,
        detail: null,
        licenseId: null,
        orgId: null,
      });
    const claims = verified.claims;
    const ids: Ids = { origin, standard, at, detail: null, licenseId: claims.licenseId, orgId: claims.orgId };
    // Recorded like every other refusal: the per-address bucket in front bounds how many can be written.
    if (!deps.limits.perLicense.take(claims.licenseId, at))
      return {
        ...(await refuse(refusal('rate_limited'), ids)),
        retryAfter: deps.limits.perLicense.retryAfter(claims.licenseId, at),
      } as LaunchOutcome;
    if (deps.db.grouped) {
      const decided = await deps.db.grouped((now) => decideNow(now, claims, ids, standard, lmsOrigin));
      if (decided !== CAPPED)
        return decided.allowed ? allowed(decided.row, decided.session) : { ok: false, code: decided.code };
    }
    return decide(claims, ids, standard, now, lmsOrigin);
  };

  return { check, record };
}
