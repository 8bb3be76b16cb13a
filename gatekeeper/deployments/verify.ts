import type { DeploymentFile } from '../db/deployments.js';
import type { Storage } from '../storage/types.js';

const SHA256_ETAG = /^"([0-9a-f]{64})"$/;

/**
 * Checks one stored object against what the deploy declared. Size comes from `head`; the sha256 from
 * the fs driver's ETag (the quoted sha256). On s3 the presigned PUT signs `x-amz-checksum-sha256`, so the
 * store itself refused any other bytes. Returns why it does not match, or null.
 */
export async function verifyObject(
  storage: Storage,
  key: string,
  file: DeploymentFile,
): Promise<'missing' | 'size' | 'sha256' | null> {
  const info = await storage.head(key);
  if (!info) return 'missing';
  if (info.size !== file.size) return 'size';
  const etag = SHA256_ETAG.exec(info.etag);
  if (etag && etag[1] !== file.sha256) return 'sha256';
  return null;
}
