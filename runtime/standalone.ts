import type { Course } from './course.js';
import { createStandaloneAdapter } from './lms/standalone.js';
import { type StartOptions, startWith } from './start.js';

export type { Course, CourseOptions, InteractionInput } from './course.js';
export { createCourse } from './course.js';
export { createStandaloneAdapter } from './lms/standalone.js';
export type { StartOptions } from './start.js';

/**
 * Starts a course with no LMS (progress kept in localStorage).
 * @example
 * const course = await start();
 * course.score(9, { max: 10 });
 */
export function start(options: StartOptions = {}): Promise<Course> {
  return startWith(createStandaloneAdapter, options);
}
