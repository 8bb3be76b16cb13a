export { CSRF_MESSAGE, createDashboard, DASHBOARD_PATH } from './app.js';
export { createLoginBackoff, type LoginBackoff } from './backoff.js';
export type { DashboardDeps, DashboardUser } from './dashboard-types.js';
export { DASHBOARD_CSP } from './security.js';
