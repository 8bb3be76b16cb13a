import type { R2Bucket } from '@cloudflare/workers-types/latest/index.ts';
import { Miniflare } from 'miniflare';
import { expect, it } from 'vitest';
import { createR2Storage } from '../../gatekeeper/storage/r2.js';
import { WORKER_COMPATIBILITY_DATE } from '../helpers/worker-target.js';

/**
 * Issue 22, on the Worker's storage: R2 that cannot be reached (here Miniflare's R2 gone from under its
 * binding) answers the typed `storage_unavailable` (503 with Retry-After), not a bare error read as 500.
 */
it('an R2 binding that fails answers storage_unavailable; a missing object is still null', async () => {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null, { status: 404 }) }',
    compatibilityDate: WORKER_COMPATIBILITY_DATE,
    r2Buckets: ['CONTENT'],
  });
  const storage = createR2Storage({ bucket: (await mf.getR2Bucket('CONTENT')) as unknown as R2Bucket });
  expect(await storage.head('courses/c/d/missing.html')).toBeNull();
  await mf.dispose();
  await expect(storage.head('courses/c/d/index.html')).rejects.toMatchObject({
    code: 'storage_unavailable',
    status: 503,
    retryAfter: expect.any(Number),
  });
});
