export * from './api/index.js';
export * from './bridge.js';
export * from './deploy.js';
export * from './errors.js';
export * from './launch.js';
export * from './telemetry.js';
export * from './xapi.js';
