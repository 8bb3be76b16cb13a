import { renderCmi5LaunchPage } from '../../formats/launch-pages/cmi5-page.js';
import type { Storage } from '../storage/types.js';
import { PLAYER_DIR } from './player-files.js';

/** The launch page's path below a course's folder: beside, never inside, its deployments. */
export const CMI5_LAUNCH_PAGE = `${PLAYER_DIR}/cmi5-launch.html`;

/**
 * Revalidated on every launch (cheap with its ETag): unlike a deployment's files the page lives at one key
 * for the course's lifetime, and a new Gatekeeper version may rewrite it.
 */
export const CMI5_LAUNCH_PAGE_CACHE = 'no-cache';

/** `courses/<course>/_coursegate/cmi5-launch.html`: course-level, so promote and rollback need no new package. */
export function cmi5LaunchPageKey(courseId: string): string {
  return `courses/${courseId}/${CMI5_LAUNCH_PAGE}`;
}

/** Whether a content key is a course-level launch page (served with `CMI5_LAUNCH_PAGE_CACHE`). */
export function isCmi5LaunchPageKey(key: string): boolean {
  const parts = key.split('/');
  return parts.length === 4 && parts[0] === 'courses' && `${parts[2]}/${parts[3]}` === CMI5_LAUNCH_PAGE;
}

/**
 * Writes the course's gated cmi5 launch page to storage (idempotent) and returns its public URL, the base of
 * every AU URL in the course's gated cmi5 packages. Storage-only, so it runs on Node and Workers alike.
 *
 * @example
 * const page = await publishCmi5LaunchPage({ storage, courseId, contentUrl, gatekeeperUrl, script });
 * // 'https://cdn.example/courses/crs_1/_coursegate/cmi5-launch.html'
 */
export async function publishCmi5LaunchPage(options: {
  storage: Storage;
  courseId: string;
  /** The course's org's content base URL (`orgContentBase`): the page must not share another org's origin. */
  contentUrl: string;
  gatekeeperUrl: string;
  /** The built `dist/cmi5-launch/cmi5-launch.js`. */
  script: string;
}): Promise<string> {
  const key = cmi5LaunchPageKey(options.courseId);
  const html = renderCmi5LaunchPage({ gatekeeperUrl: options.gatekeeperUrl, script: options.script });
  await options.storage.put(key, new TextEncoder().encode(html), {
    contentType: 'text/html; charset=utf-8',
    cacheControl: CMI5_LAUNCH_PAGE_CACHE,
  });
  return `${options.contentUrl.replace(/\/$/, '')}/${key}`;
}
