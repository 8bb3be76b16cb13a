import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed upload URL allows: one key, one content type, optionally one exact body, until a time. */
export interface UploadGrant {
  key: string;
  contentType: string;
  sha256?: string;
  cacheControl?: string;
  /** Unix seconds. */
  expires: number;
}

function canonical(g: UploadGrant): string {
  return ['PUT', g.key, String(g.expires), g.contentType, g.sha256 ?? '', g.cacheControl ?? ''].join('\n');
}

/** Hex HMAC-SHA256 of a grant. */
export function signUpload(grant: UploadGrant, secret: string | Uint8Array): string {
  return createHmac('sha256', secret).update(canonical(grant)).digest('hex');
}

/** Constant-time check of a grant's signature. */
export function verifyUpload(grant: UploadGrant, signature: string, secret: string | Uint8Array): boolean {
  const expected = Buffer.from(signUpload(grant, secret), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface UploadPresignConfig {
  /** Public URL of the upload endpoint, e.g. `http://localhost:8787/v1/uploads`. */
  baseUrl: string;
  secret: string | Uint8Array;
  now?: () => Date;
}

/** A presigned PUT to the Gatekeeper's own upload endpoint, the fs driver's counterpart of an S3 presigned URL. */
export function presignUpload(
  config: UploadPresignConfig,
  key: string,
  urlPath: string,
  options: { contentType: string; sha256?: string; expiresIn: number; cacheControl?: string },
) {
  const now = (config.now ?? (() => new Date()))();
  const grant: UploadGrant = {
    key,
    contentType: options.contentType,
    expires: Math.floor(now.getTime() / 1000) + options.expiresIn,
    ...(options.sha256 ? { sha256: options.sha256.toLowerCase() } : {}),
    ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}),
  };
  const q = new URLSearchParams({ expires: String(grant.expires), type: grant.contentType });
  if (grant.sha256) q.set('sha256', grant.sha256);
  if (grant.cacheControl) q.set('cache', grant.cacheControl);
  q.set('sig', signUpload(grant, config.secret));
  return {
    url: `${config.baseUrl.replace(/\/+$/, '')}/${urlPath}?${q}`,
    method: 'PUT' as const,
    headers: { 'content-type': grant.contentType },
    expiresAt: new Date(grant.expires * 1000),
  };
}
