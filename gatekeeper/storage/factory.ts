import { createFsStorage, type FsStorageOptions } from './fs.js';
import type { S3StorageOptions } from './s3.js';
import type { Storage } from './types.js';

/** What `config.ts` hands over: which driver, and that driver's options. */
export type StorageOptions = ({ driver: 'fs' } & FsStorageOptions) | ({ driver: 's3' } & S3StorageOptions);

/**
 * Builds the configured driver.
 * @example
 * const storage = await createStorage({ driver: 'fs', root: join(config.dataDir, 'content') });
 */
export async function createStorage(options: StorageOptions): Promise<Storage> {
  if (options.driver === 's3') {
    const { driver: _driver, ...s3 } = options;
    // The S3 SDK is large: only a Gatekeeper that stores in S3 loads it (docs/architecture.md, "Packages").
    const { createS3Storage } = await import('./s3.js');
    return createS3Storage(s3);
  }
  const { driver: _driver, ...fs } = options;
  return createFsStorage(fs);
}
