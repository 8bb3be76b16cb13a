import type { Standard } from '../protocol/launch.js';
import { findApi } from './lms/discover.js';

export type DetectedStandard = Standard | 'standalone';

/**
 * Detection order (docs/runtime.md, "Starting"): cmi5 launch parameters, SCORM 2004, SCORM 1.2,
 * standalone.
 */
export function detectStandard(win: Window = window): DetectedStandard {
  const params = new URLSearchParams(win.location.search);
  if (['endpoint', 'fetch', 'actor', 'registration', 'activityId'].every((p) => params.has(p))) return 'cmi5';
  if (findApi('API_1484_11', win)) return 'scorm2004';
  if (findApi('API', win)) return 'scorm12';
  return 'standalone';
}
