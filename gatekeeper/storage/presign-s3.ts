import { normalizeKey } from './keys.js';
import type { PresignedPut, PresignPutOptions } from './types.js';

/** Where and as whom to presign: R2's S3 API (`https://<account>.r2.cloudflarestorage.com`, region `auto`). */
export interface S3PresignTarget {
  endpoint: string;
  bucket: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function hmac(key: Uint8Array | ArrayBuffer, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey(
    'raw',
    key as ArrayBuffer,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return crypto.subtle.sign('HMAC', k, encoder.encode(data));
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function hexToBase64(value: string): string {
  const bytes = value.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
  return btoa(String.fromCharCode(...bytes));
}

/**
 * A presigned S3 `PUT` (AWS Signature V4, query-string auth) with WebCrypto and `fetch`-era APIs only, so
 * the Worker can presign for R2's S3 API without the AWS SDK (whose upload helper needs Node streams).
 * The content type, checksum and cache control are signed as headers, as the `s3` driver does, so the
 * store refuses other bytes or another type.
 *
 * @example
 * const put = await presignS3Put(target, 'courses/c/d/index.html', { contentType: 'text/html', expiresIn: 900 }, new Date());
 */
export async function presignS3Put(
  target: S3PresignTarget,
  key: string,
  options: PresignPutOptions,
  now: Date,
): Promise<PresignedPut> {
  const url = new URL(target.endpoint);
  const region = target.region ?? 'auto';
  const path = `${url.pathname.replace(/\/+$/, '')}/${rfc3986(target.bucket)}/${normalizeKey(key).split('/').map(rfc3986).join('/')}`;
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;

  const headers: Record<string, string> = { 'content-type': options.contentType };
  if (options.sha256) headers['x-amz-checksum-sha256'] = hexToBase64(options.sha256);
  if (options.cacheControl) headers['cache-control'] = options.cacheControl;
  const signed: Record<string, string> = { host: url.host, ...headers };
  const names = Object.keys(signed).sort();
  const signedHeaders = names.join(';');

  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    'X-Amz-Credential': `${target.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(options.expiresIn),
    'X-Amz-SignedHeaders': signedHeaders,
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(query[k] as string)}`)
    .join('&');
  const canonicalRequest = [
    'PUT',
    path,
    canonicalQuery,
    names.map((n) => `${n}:${(signed[n] as string).trim()}\n`).join(''),
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    hex(await crypto.subtle.digest('SHA-256', encoder.encode(canonicalRequest))),
  ].join('\n');
  let signingKey = await hmac(encoder.encode(`AWS4${target.secretAccessKey}`), day);
  for (const part of [region, 's3', 'aws4_request']) signingKey = await hmac(signingKey, part);
  const signature = hex(await hmac(signingKey, stringToSign));

  return {
    url: `${url.origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`,
    method: 'PUT',
    headers,
    expiresAt: new Date(now.getTime() + options.expiresIn * 1000),
  };
}
