import { Hono } from 'hono';
import type { GatekeeperErrorCode } from '../../protocol/errors.js';
import { CONTENT_PREFIX, keyFromPath } from '../content/key-from-path.js';
import { GatekeeperError } from '../errors.js';
import type { Storage } from './types.js';
import { type UploadGrant, verifyUpload } from './upload-signature.js';

export interface UploadAppDeps {
  storage: Storage;
  /** The secret `createFsStorage({ presign })` signs with. */
  secret: string | Uint8Array;
  now: () => Date;
  /** Where the app is mounted, e.g. `/v1/uploads` (the path of `presign.baseUrl`). */
  basePath: string;
  /** Largest body accepted, in bytes (default 2 GiB). */
  maxBytes?: number;
}

function fail(code: GatekeeperErrorCode, message: string): Response {
  const err = new GatekeeperError(code, message);
  return Response.json(err.toBody(), { status: err.status });
}

/**
 * The upload endpoint behind the fs driver's presigned PUT URLs: `PUT <basePath>/<key>?expires&sha256&sig`
 * with the signed `Content-Type`. The body streams into storage, which refuses it (`checksum_mismatch`,
 * nothing kept) when its sha256 differs from the signed one. No session needed: the signature is the grant.
 *
 * @example
 * app.route('/', createUploadApp({ storage, secret, now, basePath: '/v1/uploads' }));
 */
export function createUploadApp(deps: UploadAppDeps) {
  const maxBytes = deps.maxBytes ?? 2 * 1024 ** 3;
  const base = deps.basePath.replace(/\/+$/, '');
  const app = new Hono();

  app.put(`${base}/*`, async (c) => {
    const url = new URL(c.req.url);
    const key = uploadKey(url.pathname.slice(base.length));
    if (key === null) return fail('route_not_found', 'No such upload path');
    const q = url.searchParams;
    const grant: UploadGrant = {
      key,
      contentType: q.get('type') ?? '',
      expires: Number(q.get('expires')),
      ...(q.get('sha256') ? { sha256: q.get('sha256') as string } : {}),
      ...(q.get('cache') ? { cacheControl: q.get('cache') as string } : {}),
    };
    if (!verifyUpload(grant, q.get('sig') ?? '', deps.secret))
      return fail('upload_signature_invalid', 'Invalid upload signature');
    if (!Number.isFinite(grant.expires) || grant.expires * 1000 <= deps.now().getTime())
      return fail('upload_url_expired', 'Upload URL expired');
    if (c.req.header('content-type') !== grant.contentType)
      return fail('upload_signature_invalid', 'Content-Type differs from the signed one');
    const length = Number(c.req.header('content-length'));
    if (!c.req.header('content-length') || !Number.isInteger(length))
      return fail('length_required', 'Content-Length required');
    if (length > maxBytes) return fail('payload_too_large', `Body over ${maxBytes} bytes`);
    const body = c.req.raw.body ?? new Uint8Array(0);
    try {
      const info = await deps.storage.put(key, body, {
        contentType: grant.contentType,
        size: length,
        ...(grant.sha256 ? { sha256: grant.sha256 } : {}),
      });
      return c.json({ key: info.key, size: info.size, etag: info.etag });
    } catch (err) {
      if (err instanceof GatekeeperError) return Response.json(err.toBody(), { status: err.status });
      throw err;
    }
  });
  return app;
}

const PRIVATE_MAPS = '/sourcemaps/';

/**
 * The storage key an upload path names: a content key, or a deployment's private source map
 * (gatekeeper/errors/source-maps.ts), checked by the same rules as content paths. Only a signed grant
 * for that exact key is accepted either way.
 */
function uploadKey(path: string): string | null {
  if (!path.startsWith(PRIVATE_MAPS)) return keyFromPath(path);
  const asContent = keyFromPath(`/${CONTENT_PREFIX}${path.slice(PRIVATE_MAPS.length)}`);
  return asContent && `sourcemaps/${asContent.slice(CONTENT_PREFIX.length)}`;
}
