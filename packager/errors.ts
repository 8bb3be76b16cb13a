import { FormatError } from '../formats/errors.js';
import type { PackagerErrorCode } from '../protocol/errors.js';

/** The one error class of the packager and the CLI; `code` is stable, `message` says what to fix. */
export class PackagerError extends FormatError<PackagerErrorCode> {
  constructor(code: PackagerErrorCode, message: string) {
    super(code, message);
    this.name = 'PackagerError';
  }

  /**
   * The packager passes on the package formats' refusals (a bad manifest, an unsafe entry name) as they
   * are thrown, so `instanceof PackagerError` answers for a `FormatError` too: callers of the packager
   * keep one class to catch, whichever layer refused. Subclasses (the CLI's `ApiError`) keep the usual test.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`, maybe a subclass.
    if (this !== PackagerError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value instanceof FormatError;
  }
}
