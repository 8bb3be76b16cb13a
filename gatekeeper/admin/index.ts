/**
 * The operator's door into a local Gatekeeper data directory: the only module of the Gatekeeper the CLI
 * imports, and only lazily (`coursegate admin …`), so packaging and deploying never load SQLite.
 */
export { DATABASE_FILE } from '../db/database-file.js';
export type { PurgeCounts } from '../ingest/retention.js';
export { KeyRetireError } from '../keys/key-store.js';
export { MEMBER_EMAIL, MEMBER_NAME } from '../members/service.js';
export { ORG_NAME } from '../orgs/service.js';
export { type InitOrgInput, initOrg } from './init-org.js';
export { purgeTelemetry } from './purge.js';
export { resetPassword } from './reset-password.js';
export { RETIRE_KEY_ACTION, retireSigningKey } from './retire-signing-key.js';
export { ROTATE_KEY_ACTION, rotateSigningKey } from './rotate-signing-key.js';
export { ContentUrlError, SET_CONTENT_URL_ACTION, setOrgContentUrl } from './set-content-url.js';
