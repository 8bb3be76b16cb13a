import type { PackagerErrorCode } from '../protocol/errors.js';

/** The one error class of the packager and the CLI; `code` is stable, `message` says what to fix. */
export class PackagerError extends Error {
  readonly code: PackagerErrorCode;

  constructor(code: PackagerErrorCode, message: string) {
    super(message);
    this.name = 'PackagerError';
    this.code = code;
  }
}
