import type { Course } from './course.js';
import { createScorm12Adapter } from './lms/scorm12.js';
import { type StartOptions, startWith } from './start.js';

export type { Course, CourseOptions, InteractionInput } from './course.js';
export { createCourse } from './course.js';
export { createScorm12Adapter } from './lms/scorm12.js';
export type { StartOptions } from './start.js';

/**
 * Starts a course in a SCORM 1.2 LMS.
 * @example
 * const course = await start();
 * course.score(9, { max: 10 });
 */
export function start(options: StartOptions = {}): Promise<Course> {
  return startWith(createScorm12Adapter, options);
}
