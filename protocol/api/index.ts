export * from './courses.js';
export * from './deployments.js';
export * from './forwarding.js';
export * from './licenses.js';
export * from './logs.js';
export * from './org.js';
export * from './routes.js';
export * from './webhooks.js';
