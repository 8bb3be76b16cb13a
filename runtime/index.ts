export { start } from './auto-start.js';
export type { Course, CourseOptions, InteractionInput } from './course.js';
export { createCourse } from './course.js';
export type { DetectedStandard } from './detect.js';
export { detectStandard } from './detect.js';
export type { CourseEvents, RuntimeError } from './events.js';
export type { AdapterOptions, LmsAdapter } from './lms/adapter.js';
export { findApi } from './lms/discover.js';
export type { StartOptions } from './start.js';
