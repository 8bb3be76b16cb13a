import type { Course } from './course.js';
import { createScorm2004Adapter } from './lms/scorm2004.js';
import { type StartOptions, startWith } from './start.js';

export type { Course, CourseOptions, InteractionInput } from './course.js';
export { createCourse } from './course.js';
export { createScorm2004Adapter } from './lms/scorm2004.js';
export type { StartOptions } from './start.js';

/**
 * Starts a course in a SCORM 2004 LMS.
 * @example
 * const course = await start();
 * course.score(9, { max: 10 });
 */
export function start(options: StartOptions = {}): Promise<Course> {
  return startWith(createScorm2004Adapter, options);
}
