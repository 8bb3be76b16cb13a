import type { DeploymentMetadata, PlanUpload } from '../../protocol/deploy.js';
import type { Course } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { createDeployment, type Deployment, type DeploymentFile } from '../db/deployments.js';
import { GatekeeperError } from '../errors.js';
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from '../storage/content-types.js';
import { isValidKey } from '../storage/keys.js';
import type { Storage } from '../storage/types.js';
import { deploymentKey, IMMUTABLE } from './keys.js';
import type { PlayerFile } from './player-files.js';
import { PLAYER_DIR } from './player-files.js';
import { filesOf, listCourseDeployments } from './queries.js';
import { verifyObject } from './verify.js';

export interface PlanFile extends DeploymentFile {
  contentType?: string;
}

export interface DeployPlan {
  deployment: Deployment;
  /** Files the client must send, each with a presigned PUT. */
  upload: PlanUpload[];
  /** Files copied inside storage from an earlier deployment: never sent again. */
  copied: string[];
  /** Files already in place (a resumed deploy). */
  present: string[];
  resumed: boolean;
}

export interface PlanDeps {
  db: Database;
  storage: Storage;
  playerFiles: () => Promise<PlayerFile[]>;
  now: () => Date;
}

/** Presigned upload URLs stay valid this long: long enough for a slow 1 GB deploy. */
const UPLOAD_URL_SECONDS = 6 * 3600;
const PARALLEL = 16;

async function fingerprintOf(files: PlanFile[], entry: string): Promise<string> {
  const text = JSON.stringify([entry, files.map((f) => [f.path, f.sha256, f.size])]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function checkFiles(courseId: string, files: PlanFile[], entry: string): void {
  const seen = new Set<string>();
  // Storage keys are NFC, and a key cannot be both a file and a folder: plans that would collide there
  // are refused now, rather than accepted and then never finalizable.
  const stored = new Set<string>();
  const folders = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new GatekeeperError('invalid_request', `Duplicate path ${f.path}`);
    seen.add(f.path);
    const key = f.path.normalize('NFC');
    if (stored.has(key))
      throw new GatekeeperError(
        'invalid_request',
        `${f.path} is another file's name in another Unicode form`,
      );
    stored.add(key);
    for (let i = key.indexOf('/'); i > 0; i = key.indexOf('/', i + 1)) folders.add(key.slice(0, i));
    if (f.path === PLAYER_DIR || f.path.startsWith(`${PLAYER_DIR}/`))
      throw new GatekeeperError('invalid_request', `${PLAYER_DIR}/ is reserved for the player`);
    // The path on its own too: inside the full key a Windows drive letter (`C:/…`) no longer leads.
    if (!isValidKey(f.path) || !isValidKey(deploymentKey(courseId, 'd', f.path)))
      throw new GatekeeperError('invalid_storage_key', `Unsafe path ${JSON.stringify(f.path)}`);
  }
  for (const key of stored)
    if (folders.has(key))
      throw new GatekeeperError('invalid_request', `${key} is both a file and a folder of other files`);
  if (!seen.has(entry))
    throw new GatekeeperError('invalid_request', `The entry page ${entry} is not among the files`);
}

async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

/** Finalized deployments are frozen, so their listed files are known to be in storage as listed. */
function copySources(courseId: string, previous: Deployment[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const d of previous) {
    if (d.finalizedAt === null) continue;
    for (const f of filesOf(d))
      if (!sources.has(f.sha256)) sources.set(f.sha256, deploymentKey(courseId, d.id, f.path));
  }
  return sources;
}

/** What a deploy would send and what it would copy, changing nothing (`coursegate deploy --dry-run`). */
export async function dryRunPlan(db: Database, course: Course, files: PlanFile[], entry: string) {
  checkFiles(course.id, files, entry);
  const sources = copySources(course.id, await listCourseDeployments(db, course.orgId, course.id));
  return {
    upload: files.filter((f) => !sources.has(f.sha256)).map((f) => ({ path: f.path, size: f.size })),
    copied: files.filter((f) => sources.has(f.sha256)).map((f) => f.path),
  };
}

/**
 * Plans a deploy: creates (or resumes) an `uploading` deployment, puts the player under `_coursegate/`,
 * copies inside storage every file an earlier finalized deployment of the course already holds (same
 * sha256), and presigns a PUT for the rest.
 */
export async function planDeployment(
  deps: PlanDeps,
  input: {
    course: Course;
    actor: string;
    files: PlanFile[];
    entry: string;
    message?: string;
    metadata: DeploymentMetadata;
  },
): Promise<DeployPlan> {
  const { course, files, entry } = input;
  const { storage } = deps;
  if (!storage.presignPut)
    throw new GatekeeperError('internal_error', 'This storage cannot take presigned uploads');
  checkFiles(course.id, files, entry);
  const fingerprint = await fingerprintOf(files, entry);
  const previous = await listCourseDeployments(deps.db, course.orgId, course.id);
  const resumable = previous.find((d) => d.status === 'uploading' && d.fingerprint === fingerprint);
  const deployment =
    resumable ??
    (await createDeployment(deps.db, {
      orgId: course.orgId,
      courseId: course.id,
      entry,
      files: files.map(({ path, sha256, size }) => ({ path, sha256, size })),
      status: 'uploading',
      createdBy: input.actor,
      message: input.message ?? null,
      metadata: JSON.stringify(input.metadata),
      fingerprint,
      now: deps.now().getTime(),
    }));
  const resumed = resumable !== undefined;

  for (const p of await deps.playerFiles())
    await storage.put(deploymentKey(course.id, deployment.id, `${PLAYER_DIR}/${p.path}`), p.body, {
      contentType: p.contentType,
      cacheControl: IMMUTABLE,
      ...(p.encoded ? { encoded: p.encoded } : {}),
    });

  const sources = copySources(course.id, previous);

  const upload: PlanUpload[] = [];
  const copied: string[] = [];
  const present: string[] = [];
  const expiresIn = UPLOAD_URL_SECONDS;
  await inParallel(files, async (f) => {
    const key = deploymentKey(course.id, deployment.id, f.path);
    if (resumed && (await verifyObject(storage, key, f)) === null) {
      present.push(f.path);
      return;
    }
    const source = sources.get(f.sha256);
    if (source && (await storage.copy(source, key))) {
      copied.push(f.path);
      return;
    }
    const contentType = f.contentType ?? contentTypeFor(f.path) ?? DEFAULT_CONTENT_TYPE;
    const put = await storage.presignPut!(key, {
      contentType,
      sha256: f.sha256,
      expiresIn,
      cacheControl: IMMUTABLE,
    });
    upload.push({ path: f.path, size: f.size, sha256: f.sha256, ...put });
  });
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  upload.sort((a, b) => byPath(a.path, b.path));
  copied.sort(byPath);
  present.sort(byPath);
  return { deployment, upload, copied, present, resumed };
}
