export type { DetectedStandard } from './detect.js';
export { detectStandard } from './detect.js';
export { findApi } from './lms/discover.js';
