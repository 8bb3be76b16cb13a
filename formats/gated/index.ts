export { type GatedCmi5FilesOptions, gatedCmi5AuUrl, gatedCmi5Files } from './gated-cmi5-files.js';
export { type GatedFile, type GatedScormFilesOptions, gatedScormFiles } from './gated-scorm-files.js';
export { type ScormLaunch, scormLaunches } from './scorm-launches.js';
