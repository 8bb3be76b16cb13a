/**
 * Stable error codes shared by the runtime, the packager and the Gatekeeper.
 * A code, once published, never changes meaning: clients branch on it.
 */

/** Codes `POST /v1/launch` answers with when a launch is refused (DESIGN §3). */
export const LAUNCH_ERROR_CODES = [
  'token_invalid',
  'license_revoked',
  'license_expired',
  'license_not_started',
  'origin_not_allowed',
  'launch_limit_reached',
  'course_not_live',
  'rate_limited',
] as const;
export type LaunchErrorCode = (typeof LAUNCH_ERROR_CODES)[number];

/** Codes any Gatekeeper API route may answer with. */
export const GATEKEEPER_ERROR_CODES = [
  ...LAUNCH_ERROR_CODES,
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'reason_required',
  'pii_not_accepted',
  'internal_error',
  'invalid_storage_key',
  'range_not_satisfiable',
  'checksum_mismatch',
  'ingest_key_revoked',
] as const;
export type GatekeeperErrorCode = (typeof GATEKEEPER_ERROR_CODES)[number];

/** Codes the packager throws with (`PackagerError.code`). */
export const PACKAGER_ERROR_CODES = [
  'invalid_config',
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
