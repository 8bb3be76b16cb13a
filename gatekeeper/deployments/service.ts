import { loadCourse } from '../courses/service.js';
import type { Course } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { type Deployment, getDeployment } from '../db/deployments.js';
import { GatekeeperError } from '../errors.js';
import type { Storage } from '../storage/types.js';
import { resolveChannel } from './channels.js';
import type { ExportPackage } from './deployment-deps.js';

/**
 * The deployment look-ups and the portable export, one copy for the `/v1/deployments` and
 * `/v1/courses/{id}/…` API and the dashboard's course page (docs/architecture.md, "Services"). Planning,
 * finalizing and the live pointer have their own modules here (plan.ts, finalize.ts, pointer.ts).
 */
export interface DeploymentActor {
  orgId: string;
}

export const EXPORT_FORMATS = ['scorm12', 'scorm2004', 'cmi5'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A deployment of the actor's org, or `deployment_not_found`. */
export async function loadDeployment(
  deps: { db: Database },
  actor: DeploymentActor,
  id: string,
): Promise<Deployment> {
  const d = await getDeployment(deps.db, actor.orgId, id);
  if (!d) throw new GatekeeperError('deployment_not_found', 'No such deployment');
  return d;
}

/**
 * A deployment of one course: the one named, or the one on the named channel, or without either the
 * live one (`no_live_deployment` when there is none). A deployment of another course is
 * `deployment_not_found`, as an unknown id is.
 */
export async function deploymentOfCourse(
  deps: { db: Database },
  actor: DeploymentActor,
  input: { course: string | Course; deployment?: string | undefined; channel?: string | undefined },
): Promise<{ course: Course; deployment: Deployment }> {
  const course =
    typeof input.course === 'string' ? await loadCourse(deps, actor, input.course) : input.course;
  if (input.deployment !== undefined && input.channel !== undefined)
    throw new GatekeeperError('invalid_request', 'Name a deployment or a channel, not both');
  const channel = await resolveChannel(deps.db, course, input.channel);
  const id = input.deployment ?? (channel ? channel.deploymentId : course.liveDeploymentId);
  if (id === null)
    throw new GatekeeperError(
      'no_live_deployment',
      channel
        ? `Nothing is on channel ${channel.name} yet; promote a deployment to it`
        : 'The course has no live deployment; name one',
    );
  const deployment = await getDeployment(deps.db, actor.orgId, id);
  if (!deployment || deployment.courseId !== course.id)
    throw new GatekeeperError('deployment_not_found', 'No such deployment of this course');
  return { course, deployment };
}

/** What an export needs: the content storage, and the packager's export (absent on the Worker). */
export interface ExportDeps {
  db: Database;
  storage?: Storage | undefined;
  exportPackage?: ExportPackage | undefined;
}

/**
 * The portable package of a deployment of a course (default: the live one) as a zip stream, with the
 * name the download gets.
 *
 * @example
 * const { filename, body } = await exportCourse(deps, principal, { course: 'intro', format: 'cmi5' });
 */
export async function exportCourse(
  deps: ExportDeps,
  actor: DeploymentActor,
  input: {
    course: string;
    deployment?: string | undefined;
    channel?: string | undefined;
    format: string;
  },
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { storage, exportPackage } = deps;
  if (!storage || !exportPackage)
    throw new GatekeeperError('feature_unavailable', 'This Gatekeeper does not export packages');
  const format = EXPORT_FORMATS.find((f) => f === input.format);
  if (!format) throw new GatekeeperError('invalid_request', 'Choose SCORM 1.2, SCORM 2004 or cmi5');
  const { course, deployment } = await deploymentOfCourse(deps, actor, input);
  return {
    filename: `${course.slug}-${format}.zip`,
    body: await exportPackage(storage, course, deployment, format),
  };
}
