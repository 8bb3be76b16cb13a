import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, UPLOADS_PATH } from '../../gatekeeper/app.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { exportDeployment } from '../../gatekeeper/deployments/export.js';
import {
  readCmi5LaunchScript,
  readPlayerFiles,
  readStubScript,
} from '../../gatekeeper/deployments/read-player-files.js';
import { importForwardingKey } from '../../gatekeeper/forwarding/credentials.js';
import { openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { withStubScript } from '../../gatekeeper/licenses/gated-package.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createFsStorage } from '../../gatekeeper/storage/index.js';
import { hmacSecret } from '../../gatekeeper/storage/upload-secret.js';
import { apiClient } from '../../packager/commands/api-client.js';
import { processIo } from '../../packager/commands/cli-io.js';
import { TEST_CONTENT_URL, TEST_PUBLIC_URL } from './gatekeeper.js';
import { listDeployment } from './list-deployment.js';
import { ROOT } from './paths.js';

/**
 * The Gatekeeper the CLI's tests talk to, built in this process as `startServer` builds it (SQLite in a data
 * dir, fs storage with uploads presigned on the API, the built player, export and gated packages, real
 * time) but with no socket: `fetch` hands the CLI's requests for `url` to `app.request`, and any other
 * origin to the network. `coursegate admin … --data-dir <dataDir>` works on the same database and key
 * file; `restart()` rebuilds the app on them, as a server restart picks up a rotated or retired key.
 * @example const gk = await cliGatekeeper(); await runCoursegate(['courses', 'list'], { fetch: gk.fetch, env });
 */
export async function cliGatekeeper(options: { forwardingKey?: string } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-cli-gk-'));
  const url = TEST_PUBLIC_URL;
  const playerDir = join(ROOT, 'dist/player');
  const db = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
  const keys = await openFileKeyStore(dataDir);
  const secret = await hmacSecret(keys.sessionSecret, 'coursegate:uploads');
  const storage = await createFsStorage({
    root: join(dataDir, 'content'),
    presign: { baseUrl: `${url}${UPLOADS_PATH}`, secret },
  });
  const players = readPlayerFiles(playerDir);
  const build = (keys: Awaited<ReturnType<typeof openFileKeyStore>>) =>
    createApp({
      db,
      keys,
      storage,
      uploads: { secret },
      playerFiles: () => players,
      exportPackage: exportDeployment,
      gatedPackages: withStubScript(
        () => readStubScript(playerDir),
        () => readCmi5LaunchScript(playerDir),
      ),
      now: () => new Date(),
      config: { publicUrl: url, contentUrl: TEST_CONTENT_URL },
      ...(options.forwardingKey ? { forwardingKey: importForwardingKey(options.forwardingKey) } : {}),
    });
  let app = build(keys);

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    if (new URL(req.url).origin !== url) return globalThis.fetch(req);
    return app.request(req);
  };

  return {
    get app() {
      return app;
    },
    async restart() {
      app = build(await openFileKeyStore(dataDir));
    },
    db,
    storage,
    dataDir,
    url,
    contentUrl: TEST_CONTENT_URL,
    fetch,
    /**
     * An organisation with an owner, its API key, the CLI's environment for that key and the CLI's own
     * typed client with it; made through the service `admin init` uses.
     */
    async org(name = 'Acme', email = `owner@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`) {
      const made = await createOrgWithOwner(
        { db, now: () => new Date() },
        { name, owner: { email }, keyName: 'cli' },
      );
      return {
        ...made,
        env: { COURSEGATE_URL: url, COURSEGATE_API_KEY: made.key },
        api: apiClient({ ...processIo(), fetch }, { url, apiKey: made.key }),
      };
    },
    /** Every key stored under a deployment of a course, relative to it. */
    listDeployment: (courseId: string, deploymentId: string) =>
      listDeployment(storage, courseId, deploymentId),
    async close() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type CliGatekeeper = Awaited<ReturnType<typeof cliGatekeeper>>;
