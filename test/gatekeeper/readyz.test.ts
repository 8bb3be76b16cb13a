import { describe, expect, it } from 'vitest';
import { faultError } from '../../gatekeeper/faults.js';
import type { Storage } from '../../gatekeeper/storage/types.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { expectReady } from '../helpers/readiness.js';
import { onWorker } from '../helpers/worker-target.js';

/** `/readyz` (issue 22): readiness is the database taking a write and the storage answering. */
describe.skipIf(onWorker)('GET /readyz', () => {
  it('answers 200 naming each part when SQLite takes a write and fs storage answers', async () => {
    const t = await createTestApp({ storage: await tempFsStorage() });
    await expectReady(t);
  });

  it.skipIf(onWorker)(
    'a store that refuses answers 503 storage_unavailable naming the storage, with Retry-After',
    async () => {
      const fs = await tempFsStorage();
      const down: Storage = {
        ...fs,
        list: async () => {
          throw faultError('storage_unavailable', new Error('connect ECONNREFUSED'));
        },
      };
      const t = await createTestApp({ storage: down });
      const res = await t.request('/readyz');
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({
        error: {
          code: 'storage_unavailable',
          message: expect.stringContaining('content storage'),
          details: { database: 'ok', storage: 'storage_unavailable' },
        },
      });
    },
  );
});
