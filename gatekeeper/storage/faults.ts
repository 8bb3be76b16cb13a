import { GatekeeperError } from '../errors.js';
import { errnoFault, faultError } from '../faults.js';
import type { Storage } from './types.js';

/** Turns a driver's error into the typed fault it stands for, or undefined when it is none (a bug). */
export type StorageFaultOf = (err: unknown) => GatekeeperError | undefined;

/** fs: the volume's error codes (ENOSPC → `disk_full`, EIO, EROFS, EMFILE … → `storage_unavailable`). */
export const fsFault: StorageFaultOf = (err) => errnoFault(err, 'storage_unavailable');

/**
 * s3: a connection that fails (ECONNREFUSED, DNS, reset, timeout: the SDK passes Node's error on once
 * its own retries are spent), or the store answering 5xx or throttling (429, 503 SlowDown). Other 4xx
 * (a wrong key or bucket) are the setup's fault and stay `internal_error`.
 */
export const s3Fault: StorageFaultOf = (err) => {
  const errno = errnoFault(err, 'storage_unavailable');
  if (errno) return errno;
  const { $metadata, name } = (err ?? {}) as { $metadata?: { httpStatusCode?: number }; name?: string };
  const status = $metadata?.httpStatusCode;
  if ((status !== undefined && (status >= 500 || status === 429)) || name === 'TimeoutError')
    return faultError('storage_unavailable', err);
  return undefined;
};

/**
 * r2: the binding answers a missing object with null, never an error, so whatever it throws is R2 or
 * the way to it failing (its errors carry no code to tell them apart).
 */
export const r2Fault: StorageFaultOf = (err) => faultError('storage_unavailable', err);

const METHODS = ['put', 'get', 'head', 'list', 'copy', 'delete'] as const;

/**
 * The driver's methods, each answering a fault of the store as the typed error `faultOf` gives (503
 * with `Retry-After` through the app's error handler); the driver's own refusals (`GatekeeperError`)
 * pass unchanged. Applied by each driver's factory, so every caller of `Storage` gets it.
 *
 * @example
 * return guardStorage(storage, fsFault);
 */
export function guardStorage(storage: Storage, faultOf: StorageFaultOf): Storage {
  const guarded: Storage = { ...storage };
  for (const name of METHODS) {
    const method = storage[name] as (...args: unknown[]) => Promise<unknown>;
    (guarded as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(storage, args);
      } catch (err) {
        if (err instanceof GatekeeperError) throw err;
        throw faultOf(err) ?? err;
      }
    };
  }
  return guarded;
}
