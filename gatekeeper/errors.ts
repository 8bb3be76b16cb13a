import {
  type ErrorBody,
  GATEKEEPER_ERROR_STATUS,
  type GatekeeperErrorCode,
  type GatekeeperErrorStatus,
} from '../protocol/errors.js';

/** What a thrower may add beside the code and message. */
export interface GatekeeperErrorOptions {
  /** Seconds the client should wait before trying again: sent as `Retry-After` (429 and 503 answers). */
  retryAfter?: number;
  /** The fault underneath (a driver's error), kept for the log, never sent. */
  cause?: unknown;
}

/**
 * The one error class of the Gatekeeper; `app.onError` renders it as `{ error: { code, message } }`
 * with the status `GATEKEEPER_ERROR_STATUS` gives the code (protocol/errors.ts): no thrower picks one.
 */
export class GatekeeperError extends Error {
  readonly code: GatekeeperErrorCode;
  readonly status: GatekeeperErrorStatus;
  readonly details?: unknown;
  readonly retryAfter?: number;

  constructor(
    code: GatekeeperErrorCode,
    message: string,
    details?: unknown,
    options: GatekeeperErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatekeeperError';
    this.code = code;
    this.status = GATEKEEPER_ERROR_STATUS[code];
    this.details = details;
    if (options.retryAfter !== undefined) this.retryAfter = retryAfterSeconds(options.retryAfter);
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

/** The body of an error answer, for the few places that answer without throwing (e.g. with CORS headers). */
export function errorBody(code: GatekeeperErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** Whole seconds, at least 1, as `Retry-After` carries them (RFC 9110: delay-seconds). */
export function retryAfterSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}
