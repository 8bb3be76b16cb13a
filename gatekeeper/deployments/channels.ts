import { loadCourse } from '../courses/service.js';
import { newId } from '../crypto.js';
import { auditStatement } from '../db/audit-events.js';
import {
  type Channel,
  deleteUnfollowedChannel,
  getChannel,
  insertChannelStatement,
  licensesFollowing,
  listChannels,
} from '../db/channels.js';
import type { Course } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { listLicenses } from '../db/licenses.js';
import { refusingDuplicate } from '../db/unique-violation.js';
import { GatekeeperError } from '../errors.js';

/**
 * Release channels (docs/deployments.md, "Channels"), one copy for the API, the CLI and the dashboard:
 * `live` is the course's live pointer, and owners add named channels (`beta`, `q3-audited`) that
 * promote and rollback move the same way (pointer.ts). A license follows one of them or is pinned.
 */
export const LIVE_CHANNEL = 'live';

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A channel name as typed: lower-case letters, digits and dashes, at most 40; `live` is taken. */
export function channelName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new GatekeeperError(
      'invalid_request',
      'A channel name is 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit',
    );
  return name;
}

/** The named channel of the course, null for `live` (or no name), else `channel_not_found`. */
export async function resolveChannel(
  db: Database,
  course: Course,
  name: string | undefined,
): Promise<Channel | null> {
  if (name === undefined || name === LIVE_CHANNEL) return null;
  const channel = await getChannel(db, course.id, name);
  if (!channel) throw new GatekeeperError('channel_not_found', `The course has no channel named ${name}`);
  return channel;
}

export interface ChannelActor {
  orgId: string;
  memberId: string;
}

/** One channel as the API and the course page show it, with the licenses that launch from it. */
export interface ChannelView {
  name: string;
  deploymentId: string | null;
  licenses: { id: string; clientName: string }[];
}

/**
 * The course's channels, `live` first, each with its deployment and the licenses following it; and
 * the pinned licenses with the deployment each launches.
 *
 * @example const { channels, pinned } = await listChannelsOf({ db }, principal, 'intro');
 */
export async function listChannelsOf(deps: { db: Database }, actor: { orgId: string }, courseRef: string) {
  const course = await loadCourse(deps, actor, courseRef);
  const [named, licenses] = await Promise.all([
    listChannels(deps.db, course.id),
    listLicenses(deps.db, course.orgId, course.id),
  ]);
  const brief = (l: { id: string; clientName: string }) => ({ id: l.id, clientName: l.clientName });
  const following = (id: string | null) =>
    licenses.filter((l) => l.pinnedDeploymentId === null && l.channelId === id).map(brief);
  const channels: ChannelView[] = [
    { name: LIVE_CHANNEL, deploymentId: course.liveDeploymentId, licenses: following(null) },
    ...named.map((c) => ({ name: c.name, deploymentId: c.deploymentId, licenses: following(c.id) })),
  ];
  const pinned = licenses
    .filter((l) => l.pinnedDeploymentId !== null)
    .map((l) => ({ ...brief(l), deploymentId: l.pinnedDeploymentId as string }));
  return { course, channels, pinned };
}

/** Adds an empty named channel (promote a deployment to it next), audited as `channel.create`. */
export async function createChannel(
  deps: { db: Database; now: () => Date },
  actor: ChannelActor,
  input: { course: string; name: unknown },
): Promise<Channel> {
  const name = channelName(input.name);
  if (name === LIVE_CHANNEL) throw new GatekeeperError('channel_exists', 'Every course has a live channel');
  const course = await loadCourse(deps, actor, input.course);
  const at = deps.now().getTime();
  const row: Channel = {
    id: newId('chn'),
    orgId: course.orgId,
    courseId: course.id,
    name,
    deploymentId: null,
    createdBy: actor.memberId,
    createdAt: at,
  };
  const exists = () =>
    new GatekeeperError('channel_exists', `The course already has a channel named ${name}`);
  if (await getChannel(deps.db, course.id, name)) throw exists();
  await refusingDuplicate(
    deps.db.batch([
      insertChannelStatement(deps.db, row),
      audit(deps.db, actor, 'channel.create', row, at, { from: null, to: name }),
    ]),
    exists,
  );
  return row;
}

function audit(
  db: Database,
  actor: ChannelActor,
  action: string,
  channel: Channel,
  at: number,
  values: { from: string | null; to: string | null },
) {
  return auditStatement(db, {
    orgId: channel.orgId,
    actor: actor.memberId,
    action,
    subject: channel.id,
    fromValue: values.from,
    toValue: values.to,
    reason: '',
    at,
  });
}

/**
 * Deletes a named channel, audited as `channel.delete`; refused with `channel_in_use`, naming them,
 * while licenses follow it (move them first: `licenses follow`).
 */
export async function deleteChannel(
  deps: { db: Database; now: () => Date },
  actor: ChannelActor,
  input: { course: string; name: string },
): Promise<Channel> {
  const course = await loadCourse(deps, actor, input.course);
  if (input.name === LIVE_CHANNEL)
    throw new GatekeeperError('invalid_request', 'The live channel cannot be deleted');
  const channel = await resolveChannel(deps.db, course, input.name);
  if (!channel) throw new GatekeeperError('channel_not_found', 'No such channel');
  const deleted = await deleteUnfollowedChannel(deps.db, channel.id, {
    orgId: channel.orgId,
    actor: actor.memberId,
    action: 'channel.delete',
    fromValue: channel.name,
    toValue: null,
    reason: '',
    at: deps.now().getTime(),
  });
  if (!deleted) {
    const following = await licensesFollowing(deps.db, channel.id);
    throw new GatekeeperError(
      'channel_in_use',
      `Licenses follow channel ${channel.name}: ${following.map((l) => `${l.clientName} (${l.id})`).join(', ')}. Make them follow another channel first`,
      { licenses: following },
    );
  }
  return channel;
}
