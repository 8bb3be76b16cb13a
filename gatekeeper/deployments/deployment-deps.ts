import type { Course } from '../db/courses.js';
import type { Deployment } from '../db/deployments.js';
import type { RouteDeps } from '../http/app-types.js';
import { keyToUrlPath } from '../storage/keys.js';
import type { Storage } from '../storage/types.js';
import { deploymentKey } from './keys.js';
import { parseMetadata } from './metadata.js';
import type { PlayerFile } from './player-files.js';

/**
 * Streams a portable package of a finalized deployment (`exportDeployment` from ./export.ts on Node). Injected
 * rather than imported so the app's import graph stays free of the packager's Node streams. Resolves once
 * storage has answered, so a store that is down fails the request before any header is sent.
 */
export type ExportPackage = (
  storage: Storage,
  course: Course,
  deployment: Deployment,
  format: 'scorm12' | 'scorm2004' | 'cmi5',
) => Promise<ReadableStream<Uint8Array>>;

/** What the deployment routes need beyond the common route deps. */
export interface DeploymentDeps extends RouteDeps {
  storage: Storage;
  /** Without it, `GET /v1/courses/{id}/export` is not served. */
  exportPackage?: ExportPackage;
  playerFiles: () => Promise<PlayerFile[]>;
  /** HMAC key of preview links. */
  previewSecret: () => Promise<Uint8Array>;
}

/**
 * Where a learner's browser fetches a file of a deployment: below its org's content base URL
 * (`orgContentBase`, gatekeeper/orgs/org-content-base.ts).
 */
export function contentUrlOf(orgBase: string, courseId: string, deploymentId: string, path: string) {
  return `${orgBase}/${keyToUrlPath(deploymentKey(courseId, deploymentId, path))}`;
}

/** A deployment as the API answers it; `orgBase` is its org's content base URL. */
export function deploymentJson(orgBase: string, d: Deployment) {
  const files = JSON.parse(d.files) as { size: number }[];
  return {
    id: d.id,
    courseId: d.courseId,
    status: d.status,
    entry: d.entry,
    message: d.message,
    fileCount: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    metadata: parseMetadata(d.metadata),
    createdBy: d.createdBy,
    createdAt: new Date(d.createdAt).toISOString(),
    finalizedAt: d.finalizedAt === null ? null : new Date(d.finalizedAt).toISOString(),
    contentUrl: contentUrlOf(orgBase, d.courseId, d.id, d.entry),
  };
}
