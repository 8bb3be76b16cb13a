import type { FormatErrorCode } from '../protocol/errors.js';

/**
 * The one error class of the package formats; `code` is stable, `message` says what to fix. The
 * packager's `PackagerError` extends it, so the Gatekeeper (which may not import the packager) catches the
 * refusals of the formats it calls as `FormatError`.
 */
export class FormatError<Code extends string = FormatErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = 'FormatError';
    this.code = code;
  }
}
