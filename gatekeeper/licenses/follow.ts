import { and, eq, sql } from 'drizzle-orm';
import { getChannelById } from '../db/channels.js';
import { getCourse } from '../db/courses.js';
import type { Database } from '../db/database.js';
import type { LicenseRow } from '../db/licenses.js';
import { auditEvents, channels, licenses } from '../db/schema.js';
import { LIVE_CHANNEL, resolveChannel } from '../deployments/channels.js';
import { requireReason } from '../deployments/pointer.js';
import { deploymentOfCourse } from '../deployments/service.js';
import { GatekeeperError } from '../errors.js';
import { type Actor, type LicenseDeps, loadLicense } from './service.js';

/**
 * What a license launches (docs/deployments.md, "Channels"): a channel of its course (`live` by
 * default) or one pinned finalized deployment. A change is audited as `license.follow` with a required
 * reason and holds from the license's next launch: the launch reads it with the license row, so the
 * client's package stays the same.
 */
export type Follows = { channel: string } | { deployment: string };

/** The audit log's spelling of what a license follows. */
const spelled = (f: Follows) => ('channel' in f ? `channel:${f.channel}` : `deployment:${f.deployment}`);

/** What the license follows now, with its channel's name. */
export async function followsOf(db: Database, row: LicenseRow): Promise<Follows> {
  if (row.pinnedDeploymentId !== null) return { deployment: row.pinnedDeploymentId };
  if (row.channelId === null) return { channel: LIVE_CHANNEL };
  return { channel: (await getChannelById(db, row.channelId))?.name ?? LIVE_CHANNEL };
}

/**
 * Makes the license follow a channel (`channel`) or pins it to one finalized deployment of its course
 * (`deployment`); exactly one of the two.
 *
 * @example
 * await setLicenseFollows({ db, now }, principal, { id: 'lic_1', channel: 'beta', reason: 'pilot' });
 */
export async function setLicenseFollows(
  deps: LicenseDeps,
  actor: Actor,
  input: { id: string; channel?: string | undefined; deployment?: string | undefined; reason: unknown },
): Promise<{ license: LicenseRow; follows: Follows }> {
  const reason = requireReason(input.reason);
  if ((input.channel === undefined) === (input.deployment === undefined))
    throw new GatekeeperError('invalid_request', 'Give either a channel to follow or a deployment to pin');
  const row = await loadLicense(deps, actor, input.id);
  const course = await getCourse(deps.db, actor.orgId, row.courseId);
  if (!course) throw new GatekeeperError('course_not_found', 'No such course');
  let set: { channelId: string | null; pinnedDeploymentId: string | null };
  let follows: Follows;
  if (input.deployment !== undefined) {
    const { deployment } = await deploymentOfCourse(deps, actor, { course, deployment: input.deployment });
    if (deployment.finalizedAt === null)
      throw new GatekeeperError('deployment_not_finalized', 'Only a finalized deployment can be pinned');
    set = { channelId: null, pinnedDeploymentId: deployment.id };
    follows = { deployment: deployment.id };
  } else {
    const channel = await resolveChannel(deps.db, course, input.channel);
    set = { channelId: channel?.id ?? null, pinnedDeploymentId: null };
    follows = { channel: channel?.name ?? LIVE_CHANNEL };
  }
  const before = await followsOf(deps.db, row);
  if (spelled(before) === spelled(follows)) return { license: row, follows };
  // A channel deleted since it was looked up is not followed: the update and its event need it to exist.
  const channelStands = set.channelId
    ? sql`EXISTS (SELECT 1 FROM ${channels} WHERE ${channels.id} = ${set.channelId})`
    : sql`1`;
  const at = deps.now().getTime();
  const [audited] = await deps.db.batch([
    deps.db.orm
      .insert(auditEvents)
      .select(
        sql`SELECT NULL, ${actor.orgId}, ${actor.memberId}, 'license.follow', ${row.id}, ${spelled(before)}, ${spelled(follows)}, ${reason}, ${at} WHERE ${channelStands}`,
      ),
    deps.db.orm
      .update(licenses)
      .set(set)
      .where(and(eq(licenses.orgId, actor.orgId), eq(licenses.id, row.id), channelStands)),
  ]);
  if (audited !== 1) throw new GatekeeperError('channel_not_found', `No channel named ${input.channel}`);
  return { license: await loadLicense(deps, actor, row.id), follows };
}

/** What a license launches, as the license page says it. */
export function followsText(f: Follows): string {
  return 'channel' in f
    ? `the deployment on channel ${f.channel} (from its next launch)`
    : `pinned to deployment ${f.deployment}`;
}
