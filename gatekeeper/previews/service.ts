import { newId } from '../crypto.js';
import type { Course } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { getDeployment } from '../db/deployments.js';
import { readPreview, signPreview } from '../deployments/preview-token.js';
import { getPreviewLink, insertPreviewLink, revokePreviewLink } from '../deployments/queries.js';
import { deploymentOfCourse, loadDeployment } from '../deployments/service.js';
import { GatekeeperError } from '../errors.js';

/**
 * Preview links, one copy for the `/v1/deployments/{id}/previews` and `/v1/previews` API, the
 * dashboard's "Preview link" button and the public `/preview/<token>` route (docs/architecture.md,
 * "Services"): a signed, expiring link to a finalized deployment that a row makes revocable.
 */
export interface PreviewDeps {
  db: Database;
  now: () => Date;
  /** HMAC key of preview links. */
  previewSecret: () => Promise<Uint8Array>;
  config: { publicUrl: string };
}

/** Who acts: the org of the deployment, and the member the link row names. */
export interface PreviewActor {
  orgId: string;
  memberId: string;
}

/** Where preview links point: a public Gatekeeper route that checks them and redirects. */
export const PREVIEW_PATH = '/preview';
/** A preview link lives a day unless asked otherwise, at most 30 days. */
export const PREVIEW_SECONDS = 86_400;
export const MAX_PREVIEW_SECONDS = 30 * 86_400;

export interface PreviewLinkAnswer {
  id: string;
  deploymentId: string;
  url: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

/**
 * A preview link to a finalized deployment; with `course`, the deployment must be one of that course,
 * or without `deployment` the one on `channel` of that course now (docs/deployments.md, "Channels").
 *
 * @example
 * const { url } = await createPreview(deps, principal, { deployment: 'dep_1', expiresIn: 3600 });
 */
export async function createPreview(
  deps: PreviewDeps,
  actor: PreviewActor,
  input: {
    deployment?: string | undefined;
    channel?: string | undefined;
    course?: string | Course | undefined;
    expiresIn?: number | undefined;
  },
): Promise<PreviewLinkAnswer> {
  const d =
    input.course === undefined
      ? await loadDeployment(deps, actor, input.deployment ?? '')
      : (
          await deploymentOfCourse(deps, actor, {
            course: input.course,
            deployment: input.deployment,
            channel: input.channel,
          })
        ).deployment;
  const seconds = input.expiresIn ?? PREVIEW_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > MAX_PREVIEW_SECONDS)
    throw new GatekeeperError('invalid_request', 'A preview lives from a minute to 30 days');
  if (d.finalizedAt === null)
    throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
  const now = deps.now().getTime();
  const expires = Math.floor(now / 1000) + seconds;
  const id = newId('pvw');
  await insertPreviewLink(deps.db, {
    id,
    orgId: actor.orgId,
    deploymentId: d.id,
    expiresAt: expires * 1000,
    createdBy: actor.memberId,
    createdAt: now,
    revokedAt: null,
  });
  const token = signPreview(id, expires, await deps.previewSecret());
  return {
    id,
    deploymentId: d.id,
    url: `${deps.config.publicUrl}${PREVIEW_PATH}/${token}`,
    expiresAt: expires * 1000,
  };
}

/** Revokes a preview link of the actor's org at once (`preview_not_found` else); revoking twice is fine. */
export async function revokePreview(
  deps: Pick<PreviewDeps, 'db' | 'now'>,
  actor: { orgId: string },
  id: string,
): Promise<{ id: string; revokedAt: number }> {
  const row = await revokePreviewLink(deps.db, actor.orgId, id, deps.now().getTime());
  if (!row) throw new GatekeeperError('preview_not_found', 'No such preview link');
  return { id: row.id, revokedAt: row.revokedAt };
}

/**
 * The deployment a preview token opens, checked on every visit: signature, expiry, the row (not
 * revoked, same expiry) and a finalized deployment. Anything wrong is null, one answer for all.
 */
export async function openPreview(
  deps: Pick<PreviewDeps, 'db' | 'now' | 'previewSecret'>,
  token: string,
): Promise<{ orgId: string; courseId: string; id: string; entry: string } | null> {
  const now = deps.now().getTime();
  const parsed = readPreview(token, await deps.previewSecret());
  if (!parsed || parsed.expires * 1000 <= now) return null;
  const link = await getPreviewLink(deps.db, parsed.id);
  if (!link || link.revokedAt !== null || link.expiresAt !== parsed.expires * 1000) return null;
  const d = await getDeployment(deps.db, link.orgId, link.deploymentId);
  if (!d || d.finalizedAt === null) return null;
  return d;
}
