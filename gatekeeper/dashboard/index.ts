export { CSRF_MESSAGE, createDashboard, DASHBOARD_PATH } from './app.js';
export type { DashboardDeps, DashboardUser } from './dashboard-types.js';
export { DASHBOARD_CSP } from './security.js';
export { createSignInBackoff, type SignInBackoff } from './sign-in-backoff.js';
