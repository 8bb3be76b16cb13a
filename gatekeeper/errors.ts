import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, GatekeeperErrorCode } from '../protocol/errors.js';

/** The one error class of the Gatekeeper; `app.onError` renders it as `{ error: { code, message } }`. */
export class GatekeeperError extends Error {
  readonly code: GatekeeperErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details?: unknown;

  constructor(status: ContentfulStatusCode, code: GatekeeperErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'GatekeeperError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
