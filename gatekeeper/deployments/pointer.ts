import { and, eq, sql } from 'drizzle-orm';
import type { ExpectedLive, LiveChangedDetails } from '../../protocol/api/deployments.js';
import { loadCourse } from '../courses/service.js';
import { type Channel, getChannelById } from '../db/channels.js';
import { type Course, getCourse } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { auditEvents, channels, courses, deployments } from '../db/schema.js';
import { GatekeeperError } from '../errors.js';
import { outboxStatements } from '../outbox/record.js';
import { LIVE_CHANNEL, resolveChannel } from './channels.js';
import { courseHistory } from './queries.js';
import { deploymentOfCourse } from './service.js';

/**
 * Promote and roll back, one copy for the `/v1/courses/{id}/promote|rollback` API and the dashboard's
 * course page (docs/architecture.md, "Services"): a reason is required, the target is a finalized
 * deployment of the course, the pointer moves only from the live deployment the sender saw, and the
 * pointer flip and its audit event land together.
 */
export type PointerAction = 'deployment.promote' | 'deployment.rollback';

const MAX_REASON = 1000;

/** A reason is required for every promotion and rollback; blank counts as missing. */
export function requireReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new GatekeeperError('reason_required', 'Give a reason for this change');
  if (reason.trim().length > MAX_REASON)
    throw new GatekeeperError('invalid_request', `Keep the reason under ${MAX_REASON} characters`);
  return reason.trim();
}

/**
 * Where a rollback without `to` goes: the deployment that was on the channel (default live) before the
 * current one was promoted. Following promotions (not rollbacks) makes repeated rollbacks walk back
 * through releases instead of toggling between the last two.
 */
export async function previousLive(
  db: Database,
  course: Course,
  channel: Channel | null = null,
): Promise<string | null> {
  const live = channel ? channel.deploymentId : course.liveDeploymentId;
  if (live === null) return null;
  const events = await courseHistory(db, course.orgId, channel?.id ?? course.id);
  const promoted = events.find((e) => e.action === 'deployment.promote' && e.to === live);
  return (promoted ?? events.find((e) => e.to === live))?.from ?? null;
}

/**
 * The sender's expectation, required: a change that does not say which state it changes from could
 * undo someone else's (two operators rolling back one bad release), so none is `428
 * expected_live_required`.
 */
export function requireExpectedLive(expected: ExpectedLive | undefined): ExpectedLive {
  if (expected === undefined)
    throw new GatekeeperError(
      'expected_live_required',
      'Say which deployment you saw live: expectedLive (null for none) or If-Match: "<id>" ("none" for none)',
    );
  return expected;
}

/** `409 live_changed`, naming the deployment on the channel now so the sender can decide again. */
export function liveChanged(
  expected: ExpectedLive,
  live: ExpectedLive,
  channel: string = LIVE_CHANNEL,
): GatekeeperError {
  const name = (id: ExpectedLive) => (id === null ? 'no deployment' : `deployment ${id}`);
  const what = channel === LIVE_CHANNEL ? 'The live deployment' : `Channel ${channel}'s deployment`;
  const is = channel === LIVE_CHANNEL ? 'is live now' : `is on ${channel} now`;
  return new GatekeeperError(
    'live_changed',
    `${what} changed: ${name(live)} ${is}, not ${name(expected)} as this request expected. Nothing was changed; check the course and send the change again if it still applies`,
    { live, expected } satisfies LiveChangedDetails,
  );
}

/**
 * Points the course's live pointer, or one of its named channels, at a finalized deployment of its own
 * and records who did it and why, in one atomic batch, if and only if the pointer is still where the
 * sender saw it (`expected`): a compare-and-set in the database, else `409 live_changed` naming the
 * deployment there now. A named channel's events have the channel's id as subject.
 */
export async function movePointer(
  deps: { db: Database; now: () => Date },
  input: {
    course: Course;
    to: string;
    expected: ExpectedLive;
    actor: string;
    action: PointerAction;
    reason: string;
    /** Null or absent: the live pointer. */
    channel?: Channel | null | undefined;
  },
) {
  const { db } = deps;
  const { course, expected } = input;
  const channel = input.channel ?? null;
  const channelName = channel?.name ?? LIVE_CHANNEL;
  const current = channel ? channel.deploymentId : course.liveDeploymentId;
  // Cheap early answer; the batch below decides, since the pointer may move after this read.
  if (current !== expected) throw liveChanged(expected, current, channelName);
  const { deployment: target } = await deploymentOfCourse(deps, course, { course, deployment: input.to });
  if (target.finalizedAt === null)
    throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
  if (expected === target.id)
    throw new GatekeeperError(
      'already_live',
      channel ? `That deployment is already on ${channel.name}` : 'That deployment is already live',
    );
  const at = deps.now().getTime();
  // The compare-and-set: every statement is conditional on the pointer being `expected` when the
  // transaction runs, so of two changes from one state the second writes nothing: no second "live"
  // deployment, no audit event from a state that no longer held, and each event's `from` is the `to`
  // of the one before (the audit chain has no gaps).
  const unmoved = channel
    ? sql`(SELECT ${channels.deploymentId} FROM ${channels} WHERE ${channels.id} = ${channel.id}) IS ${expected}`
    : sql`(SELECT ${courses.liveDeploymentId} FROM ${courses} WHERE ${courses.id} = ${course.id}) IS ${expected}`;
  const subject = channel?.id ?? course.id;
  const changes = await db.batch([
    db.orm
      .insert(auditEvents)
      .select(
        sql`SELECT NULL, ${course.orgId}, ${input.actor}, ${input.action}, ${subject}, ${expected}, ${target.id}, ${input.reason}, ${at} WHERE ${unmoved}`,
      ),
    // A deployment's status says whether it is live; named channels leave it alone.
    ...(channel
      ? []
      : [
          db.orm
            .update(deployments)
            .set({ status: 'live' })
            .where(and(eq(deployments.id, target.id), unmoved)),
        ]),
    ...(expected && !channel
      ? [
          db.orm
            .update(deployments)
            .set({ status: 'retired' })
            .where(and(eq(deployments.id, expected), unmoved)),
        ]
      : []),
    // The webhook event, under the same condition: a change that loses the race sends nothing.
    ...outboxStatements(
      db,
      {
        orgId: course.orgId,
        type: input.action === 'deployment.promote' ? 'deployment.promoted' : 'deployment.rolled_back',
        subject: course.id,
        data: {
          courseId: course.id,
          courseSlug: course.slug,
          deploymentId: target.id,
          previousDeploymentId: expected,
          ...(channel ? { channel: channel.name } : {}),
        },
        at,
      },
      { when: unmoved },
    ).statements,
    // Last: the condition above reads the pointer this statement moves.
    channel
      ? db.orm
          .update(channels)
          .set({ deploymentId: target.id })
          .where(and(eq(channels.id, channel.id), unmoved))
      : db.orm
          .update(courses)
          .set({ liveDeploymentId: target.id })
          .where(and(eq(courses.id, course.id), unmoved)),
  ]);
  // Whether this batch moved the pointer is its own row count, not a later read (which another change
  // may already have overtaken).
  if (changes.at(-1) !== 1) {
    const now = channel
      ? ((await getChannelById(db, channel.id))?.deploymentId ?? null)
      : ((await getCourse(db, course.orgId, course.id))?.liveDeploymentId ?? null);
    throw liveChanged(expected, now, channelName);
  }
  return {
    from: expected,
    to: target.id,
    at,
    action: input.action,
    reason: input.reason,
    channel: channelName,
  };
}

/** Who acts: the org the course is looked up in, and the member the audit event names. */
export interface PointerActor {
  orgId: string;
  memberId: string;
}

/**
 * Makes a finalized deployment of the course (id or slug) live, audited as `deployment.promote`.
 *
 * @example
 * await promote({ db, now }, principal, {
 *   course: 'intro', deployment: 'dep_2', reason: 'v2 approved', expectedLive: 'dep_1',
 * });
 */
export async function promote(
  deps: { db: Database; now: () => Date },
  actor: PointerActor,
  input: {
    course: string;
    deployment: string;
    reason: unknown;
    expectedLive: ExpectedLive | undefined;
    /** Default `live`. */
    channel?: string | undefined;
  },
) {
  // The reason first: blank and missing answer `reason_required` whatever else is wrong.
  const reason = requireReason(input.reason);
  const course = await loadCourse(deps, actor, input.course);
  return movePointer(deps, {
    course,
    channel: await resolveChannel(deps.db, course, input.channel),
    to: input.deployment,
    expected: requireExpectedLive(input.expectedLive),
    actor: actor.memberId,
    action: 'deployment.promote',
    reason,
  });
}

/**
 * Points the course back at `to`, or without it at the deployment live before the current one
 * (`no_rollback_target` when there is none), audited as `deployment.rollback`.
 */
export async function rollback(
  deps: { db: Database; now: () => Date },
  actor: PointerActor,
  input: {
    course: string;
    to?: string | undefined;
    reason: unknown;
    expectedLive: ExpectedLive | undefined;
    /** Default `live`. */
    channel?: string | undefined;
  },
) {
  const reason = requireReason(input.reason);
  const course = await loadCourse(deps, actor, input.course);
  const channel = await resolveChannel(deps.db, course, input.channel);
  const expected = requireExpectedLive(input.expectedLive);
  const current = channel ? channel.deploymentId : course.liveDeploymentId;
  // "Back from what the sender saw": from any other state the answer is `live_changed`, never a
  // rollback of a release the sender did not mean (two operators rolling back one bad release).
  if (current !== expected) throw liveChanged(expected, current, channel?.name);
  const to = input.to ?? (await previousLive(deps.db, course, channel));
  if (!to)
    throw new GatekeeperError('no_rollback_target', 'No earlier deployment on this channel to roll back to');
  return movePointer(deps, {
    course,
    channel,
    to,
    expected,
    actor: actor.memberId,
    action: 'deployment.rollback',
    reason,
  });
}
