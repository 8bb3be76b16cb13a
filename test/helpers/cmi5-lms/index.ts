// The cmi5 LMS + LRS graduated to examples/demo-lms (the demo mounts it); tests keep importing it from here.
export { createCmi5LmsApp } from '../../../examples/demo-lms/cmi5-lms/app.js';
export { createCmi5Lms, type LaunchOptions } from '../../../examples/demo-lms/cmi5-lms/lms.js';
export { type Cmi5Lms, startCmi5Lms } from '../../../examples/demo-lms/cmi5-lms/server.js';
export type {
  Agent,
  Cmi5Launch,
  LaunchMode,
  RecordedRequest,
  Statement,
  StoredStatement,
} from '../../../examples/demo-lms/cmi5-lms/store.js';
export { agentKey, SESSION_ID_EXTENSION, sessionOf } from '../../../examples/demo-lms/cmi5-lms/store.js';
