import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { UPLOADS_PATH } from '../../gatekeeper/app.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';
import { TEST_PUBLIC_URL } from './gatekeeper.js';

/**
 * Local-disk content storage in a temporary folder, removed when the calling test ends (or when
 * `onDone`'s caller says, for a storage shared by a whole file), with presigned uploads pointing at the
 * test app's upload route: what `createTestApp({ storage })` needs to serve the deployment routes.
 */
export async function tempFsStorage(options: { onDone?: (remove: () => void) => void } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'cg-storage-'));
  (options.onDone ?? onTestFinished)(() => rmSync(root, { recursive: true, force: true }));
  return createFsStorage({
    root,
    presign: { baseUrl: `${TEST_PUBLIC_URL}${UPLOADS_PATH}`, secret: randomBytes(32) },
  });
}
