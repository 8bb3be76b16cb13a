export { type GatedCourse, type GatedItem, gatedItemsFrom, gatedLeaves } from './gated-course.js';
export { type GatedCmi5Options, gatedCmi5AuUrl, writeGatedCmi5Package } from './write-gated-cmi5.js';
export { type GatedScormOptions, writeGatedScormPackage } from './write-gated-scorm.js';
