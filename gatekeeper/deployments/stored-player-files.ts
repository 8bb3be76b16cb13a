import { GatekeeperError } from '../errors.js';
import type { Storage } from '../storage/types.js';
import { PLAYER_FILE_NAMES, type PlayerFile } from './player-files.js';

/** Where the Workers build finds the player in its bucket: a Worker has no file system to read dist/player from. */
export const STORED_PLAYER_PREFIX = 'player';

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
      if (!got)
        throw new GatekeeperError(
          500,
          'internal_error',
          `The player is not in the bucket: ${STORED_PLAYER_PREFIX}/${path} is missing (upload dist/player, docs/deploy-cloudflare.md)`,
        );
      return {
        path,
        body: new Uint8Array(await new Response(got.body as ReadableStream<Uint8Array>).arrayBuffer()),
        contentType: got.contentType,
      };
    }),
  );
}
