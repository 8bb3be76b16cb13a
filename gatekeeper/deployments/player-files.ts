import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One file of the gated-delivery player, stored under `<deployment>/_coursegate/` of every deployment. */
export interface PlayerFile {
  /** Name inside `_coursegate/`, e.g. `player.js`. */
  path: string;
  body: Uint8Array;
  contentType: string;
}

/** The files `dist/player/` must hold (docs/gated-delivery.md); the `*.size.json` reports stay out. */
export const PLAYER_FILE_NAMES = ['player.html', 'player.js', 'scorm12.min.js', 'scorm2004.min.js'] as const;

/** Prefix of the player inside a deployment; course files may not use it. */
export const PLAYER_DIR = '_coursegate';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/** Reads the built player from a directory (Node only; the Workers entry bundles the files instead). */
export async function readPlayerFiles(dir: string): Promise<PlayerFile[]> {
  return Promise.all(
    PLAYER_FILE_NAMES.map(async (path) => ({
      path,
      body: new Uint8Array(await readFile(join(dir, path))),
      contentType: TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
    })),
  );
}

/** Whether `dir` holds a complete player build. */
export function hasPlayerFiles(dir: string): boolean {
  return PLAYER_FILE_NAMES.every((name) => existsSync(join(dir, name)));
}
