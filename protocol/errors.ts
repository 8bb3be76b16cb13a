/**
 * Stable error codes shared by the runtime, the packager and the Gatekeeper.
 * A code, once published, never changes meaning: clients branch on it.
 */

/** Codes `POST /v1/launch` answers with when a launch is refused (docs/gatekeeper.md, "Launch"). */
export const LAUNCH_ERROR_CODES = [
  'token_invalid',
  'signing_key_retired',
  'license_revoked',
  'license_expired',
  'license_not_started',
  'origin_not_allowed',
  'launch_limit_reached',
  'course_not_live',
  'rate_limited',
] as const;
export type LaunchErrorCode = (typeof LAUNCH_ERROR_CODES)[number];

/** A refused launch is 403, except `rate_limited`; the stub and the cmi5 launch page show a text per code. */
const LAUNCH_ERROR_STATUS = {
  token_invalid: 403,
  signing_key_retired: 403,
  license_revoked: 403,
  license_expired: 403,
  license_not_started: 403,
  origin_not_allowed: 403,
  launch_limit_reached: 403,
  course_not_live: 403,
  rate_limited: 429,
} as const satisfies Record<LaunchErrorCode, 403 | 429>;

/**
 * Every code a Gatekeeper route may answer with, and its one HTTP status: no call site picks a status.
 * Codes are precise (a client branches on `course_not_found`, not on a message); `invalid_request` is
 * left for a body or query that fails validation. The `Record` makes the type checker refuse a code
 * without a status. Published codes keep their meaning; `not_found` and `conflict` were split into the
 * codes below (docs/gatekeeper.md, "Errors").
 */
export const GATEKEEPER_ERROR_STATUS = {
  ...LAUNCH_ERROR_STATUS,
  // The request itself.
  invalid_request: 400,
  reason_required: 400,
  pii_not_accepted: 400,
  construct_not_accepted: 400,
  invalid_storage_key: 400,
  checksum_mismatch: 400,
  webhook_url_refused: 400,
  length_required: 411,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  // A change of shared state must say which state it changes from (docs/deployments.md).
  expected_live_required: 428,
  // Who asks.
  unauthorized: 401,
  ingest_key_revoked: 401,
  forbidden: 403,
  upload_signature_invalid: 403,
  upload_url_expired: 403,
  // What the request names, looked up in the caller's organisation.
  route_not_found: 404,
  org_not_found: 404,
  member_not_found: 404,
  api_key_not_found: 404,
  course_not_found: 404,
  deployment_not_found: 404,
  license_not_found: 404,
  ingest_key_not_found: 404,
  webhook_not_found: 404,
  webhook_delivery_not_found: 404,
  preview_not_found: 404,
  statement_not_found: 404,
  feature_unavailable: 404,
  // Not possible in the current state.
  already_exists: 409,
  slug_taken: 409,
  member_exists: 409,
  last_owner: 409,
  deployment_not_finalized: 409,
  upload_incomplete: 409,
  already_live: 409,
  live_changed: 409,
  no_live_deployment: 409,
  no_rollback_target: 409,
  deployment_not_packageable: 409,
  statement_conflict: 409,
  storage_key_taken: 409,
  // Release channels and pins (issue 26; docs/deployments.md, "Channels").
  channel_not_found: 404,
  channel_exists: 409,
  channel_in_use: 409,
  // Statement forwarding to an LRS (docs/integrations.md, "Statement forwarding").
  forwarding_url_refused: 400,
  forwarding_not_found: 404,
  forwarding_key_missing: 409,
  internal_error: 500,
  // A fault of what the server stands on, not of the request: retry after the answer's `Retry-After`.
  storage_unavailable: 503,
  database_unavailable: 503,
  disk_full: 503,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 409 | 411 | 413 | 416 | 428 | 429 | 500 | 503>;

export type GatekeeperErrorCode = keyof typeof GATEKEEPER_ERROR_STATUS;
export type GatekeeperErrorStatus = (typeof GATEKEEPER_ERROR_STATUS)[GatekeeperErrorCode];

/** Codes any Gatekeeper API route may answer with. */
export const GATEKEEPER_ERROR_CODES = Object.keys(GATEKEEPER_ERROR_STATUS) as GatekeeperErrorCode[];

/** Whether `code` (e.g. read from an answer's body) is one of the Gatekeeper's codes. */
export function isGatekeeperErrorCode(code: unknown): code is GatekeeperErrorCode {
  return typeof code === 'string' && Object.hasOwn(GATEKEEPER_ERROR_STATUS, code);
}

/** Codes the packager throws with (`PackagerError.code`). */
export const PACKAGER_ERROR_CODES = [
  'invalid_config',
  'missing_metadata',
  'input_not_found',
  'entry_not_found',
  'unsafe_path',
  'symlink_refused',
  'duplicate_entry',
  'zip_bomb',
  'invalid_package',
  'unknown_standard',
  'io_error',
  'upload_failed',
  'aborted',
  'not_configured',
  'api_error',
] as const;
export type PackagerErrorCode = (typeof PACKAGER_ERROR_CODES)[number];

/**
 * The packager's codes the package formats throw with (`FormatError.code`, formats/errors.ts); the
 * packager passes them on unchanged.
 */
export const FORMAT_ERROR_CODES = [
  'invalid_config',
  'entry_not_found',
  'unsafe_path',
  'duplicate_entry',
  'invalid_package',
  'unknown_standard',
  'io_error',
] as const satisfies readonly PackagerErrorCode[];
export type FormatErrorCode = (typeof FORMAT_ERROR_CODES)[number];

/** Codes carried by the runtime's `error` events; the runtime never throws into course code. */
export const RUNTIME_ERROR_CODES = [
  'lms_not_found',
  'lms_call_failed',
  'lms_commit_failed',
  'state_too_large',
  'launch_params_invalid',
  'fetch_failed',
  'statement_rejected',
  'invalid_argument',
  'bridge_error',
] as const;
export type RuntimeErrorCode = (typeof RUNTIME_ERROR_CODES)[number];

/** The JSON body of every Gatekeeper error response. */
export interface ErrorBody {
  error: { code: GatekeeperErrorCode; message: string; details?: unknown };
}
