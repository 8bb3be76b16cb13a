import {
  type ErrorBody,
  GATEKEEPER_ERROR_STATUS,
  type GatekeeperErrorCode,
  type GatekeeperErrorStatus,
} from '../protocol/errors.js';

/**
 * The one error class of the Gatekeeper; `app.onError` renders it as `{ error: { code, message } }`
 * with the status `GATEKEEPER_ERROR_STATUS` gives the code (protocol/errors.ts): no thrower picks one.
 */
export class GatekeeperError extends Error {
  readonly code: GatekeeperErrorCode;
  readonly status: GatekeeperErrorStatus;
  readonly details?: unknown;

  constructor(code: GatekeeperErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'GatekeeperError';
    this.code = code;
    this.status = GATEKEEPER_ERROR_STATUS[code];
    this.details = details;
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

/** The body of an error answer, for the few places that answer without throwing (e.g. with CORS headers). */
export function errorBody(code: GatekeeperErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}
