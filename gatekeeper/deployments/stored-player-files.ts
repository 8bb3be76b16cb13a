import { GatekeeperError } from '../errors.js';
import type { Storage } from '../storage/types.js';
import { PLAYER_FILE_NAMES, type PlayerFile } from './player-files.js';

/** Where the Workers build finds the player in its bucket: a Worker has no file system to read dist/player from. */
export const STORED_PLAYER_PREFIX = 'player';
/** Where it finds the stub SCORM gated packages carry (`dist/stub/stub.js`). */
export const STORED_STUB_KEY = 'stub/stub.js';
/** Where it finds the gated cmi5 launch page script (`dist/cmi5-launch/cmi5-launch.js`). */
export const STORED_CMI5_LAUNCH_KEY = 'cmi5-launch/cmi5-launch.js';

function missing(key: string): GatekeeperError {
  return new GatekeeperError(
    'internal_error',
    `The runtime build is not in the bucket: ${key} is missing (upload dist/player, dist/stub and dist/cmi5-launch, docs/deploy-cloudflare.md)`,
  );
}

/**
 * Reads the gated-delivery player from storage (`player/<name>`), where the Workers deploy puts
 * `dist/player` (docs/deploy-cloudflare.md). A missing file fails the deploy plan with its name, rather
 * than staging deployments whose gated launches would break.
 *
 * @example
 * createApp({ ..., playerFiles: () => readStoredPlayerFiles(storage) });
 */
export async function readStoredPlayerFiles(storage: Storage): Promise<PlayerFile[]> {
  return Promise.all(
    PLAYER_FILE_NAMES.map(async (path) => {
      const got = await storage.get(`${STORED_PLAYER_PREFIX}/${path}`);
      if (!got) throw missing(`${STORED_PLAYER_PREFIX}/${path}`);
      return {
        path,
        body: new Uint8Array(await new Response(got.body).arrayBuffer()),
        contentType: got.contentType,
      };
    }),
  );
}

/** Reads the stub from storage (`stub/stub.js`), for the gated SCORM packages the Worker writes. */
export async function readStoredStub(storage: Storage): Promise<Uint8Array> {
  const got = await storage.get(STORED_STUB_KEY);
  if (!got) throw missing(STORED_STUB_KEY);
  return new Uint8Array(await new Response(got.body).arrayBuffer());
}

/** Reads the gated cmi5 launch page script from storage, for the gated cmi5 packages the Worker writes. */
export async function readStoredCmi5Launch(storage: Storage): Promise<string> {
  const got = await storage.get(STORED_CMI5_LAUNCH_KEY);
  if (!got) throw missing(STORED_CMI5_LAUNCH_KEY);
  return new Response(got.body).text();
}
