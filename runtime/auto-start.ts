import { start as startCmi5 } from './cmi5.js';
import type { Course } from './course.js';
import { detectStandard } from './detect.js';
import type { AdapterOptions, LmsAdapter } from './lms/adapter.js';
import { createScorm12Adapter } from './lms/scorm12.js';
import { createScorm2004Adapter } from './lms/scorm2004.js';
import { createStandaloneAdapter } from './lms/standalone.js';
import { type StartOptions, startWith } from './start.js';

const ADAPTERS: Record<string, (o: AdapterOptions & { key?: string | undefined }) => LmsAdapter> = {
  scorm2004: createScorm2004Adapter,
  scorm12: createScorm12Adapter,
  standalone: createStandaloneAdapter,
};

/**
 * Starts a course in whatever LMS launched it: cmi5 launch parameters, then SCORM 2004 `API_1484_11`, then SCORM 1.2 `API`,
 * else standalone. `options.standard` forces one.
 * @example
 * const course = await start();
 * course.on('error', (e) => console.warn(e.code));
 * course.location = 'page-3';
 */
export function start(options: StartOptions = {}): Promise<Course> {
  const standard = options.standard ?? detectStandard(options.window ?? window);
  // The cmi5 entry adds learner preferences and the hand-back to returnURL after terminated.
  if (standard === 'cmi5') return startCmi5(options);
  return startWith(ADAPTERS[standard] ?? createStandaloneAdapter, options);
}
