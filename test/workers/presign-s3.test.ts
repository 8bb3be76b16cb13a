import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignS3Put } from '../../gatekeeper/storage/presign-s3.js';
import { createS3Storage } from '../../gatekeeper/storage/s3.js';
import type { Storage } from '../../gatekeeper/storage/types.js';

const S3rver = createRequire(import.meta.url)('s3rver') as new (
  opts: Record<string, unknown>,
) => { run(): Promise<AddressInfo>; close(): Promise<void> };

const BUCKET = 'coursegate-presign';

/** The hash interface the SDK signer takes, over node:crypto. */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data) =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
class NodeHash {
  private readonly h;
  constructor(secret?: Data) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data) {
    this.h.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}
let server: InstanceType<typeof S3rver>;
let dir: string;
let endpoint: string;
let s3: Storage;
const target = () => ({
  endpoint,
  bucket: BUCKET,
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cg-presign-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET }],
  });
  endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  s3 = createS3Storage({ ...target(), forcePathStyle: true });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('presigned PUT for R2 from the Worker (WebCrypto SigV4)', () => {
  it('uploads through the URL, which the store verifies, with the signed type and cache control', async () => {
    const body = new TextEncoder().encode('{"worker":"presigned"}');
    const key = "courses/c1/d1/a (1)/it's *.json";
    const put = await presignS3Put(
      target(),
      key,
      {
        contentType: 'application/json; charset=utf-8',
        sha256: createHash('sha256').update(body).digest('hex'),
        expiresIn: 300,
        cacheControl: 'public, max-age=31536000, immutable',
      },
      new Date(),
    );
    expect(put.url).toMatch(/X-Amz-Signature=[0-9a-f]{64}$/);
    const res = await fetch(put.url, { method: put.method, headers: put.headers, body });
    expect(res.status).toBe(200);
    const got = await s3.get(key);
    expect(got?.contentType).toBe('application/json; charset=utf-8');
    expect(got?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(await new Response(got!.body).text()).toBe('{"worker":"presigned"}');
  });

  // s3rver checks expiry but not signatures: the signature is checked against the AWS SDK's own signer.
  it('signs exactly as the AWS SDK presigner does, and the store refuses an expired URL', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const key = "courses/c1/d1/a (1)/it's *.json";
    const opts = {
      contentType: 'application/json',
      sha256: 'ab'.repeat(32),
      expiresIn: 600,
      cacheControl: 'public, max-age=31536000, immutable',
    };
    const ours = new URL((await presignS3Put(target(), key, opts, at)).url);
    const headers = {
      host: new URL(endpoint).host,
      'content-type': opts.contentType,
      'x-amz-checksum-sha256': Buffer.from(opts.sha256, 'hex').toString('base64'),
      'cache-control': opts.cacheControl,
    };
    const presigner = new S3RequestPresigner({
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      region: 'us-east-1',
      sha256: NodeHash,
    });
    const sdk = await presigner.presign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(new URL(endpoint).port),
        path: ours.pathname,
        headers: { ...headers },
        query: {},
      } as never,
      {
        signingDate: at,
        expiresIn: opts.expiresIn,
        signableHeaders: new Set(Object.keys(headers)),
        unhoistableHeaders: new Set(Object.keys(headers)),
      },
    );
    expect(Object.fromEntries(ours.searchParams)).toEqual(sdk.query);

    const old = await presignS3Put(
      target(),
      'courses/c1/d1/x.txt',
      { contentType: 'text/plain', expiresIn: 60 },
      new Date(Date.now() - 3_600_000),
    );
    expect((await fetch(old.url, { method: 'PUT', headers: old.headers, body: 'x' })).status).toBe(403);
    expect(await s3.head('courses/c1/d1/x.txt')).toBeNull();
  });
});
