import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTENT_ENCODINGS, type ContentEncoding } from '../storage/encodings.js';
import { ENCODED_SUFFIX, PLAYER_FILE_NAMES, type PlayerFile } from './player-files.js';

// Kept apart from player-files.ts so the Workers build, which imports that file, never pulls in node:fs.
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
      encoded: await readEncoded(join(dir, path)),
    })),
  );
}

/** The precompressed forms the build wrote beside `file` (none on an older build: storage then compresses). */
export async function readEncoded(file: string): Promise<Partial<Record<ContentEncoding, Uint8Array>>> {
  const out: Partial<Record<ContentEncoding, Uint8Array>> = {};
  for (const encoding of CONTENT_ENCODINGS) {
    const path = file + ENCODED_SUFFIX[encoding];
    if (existsSync(path)) out[encoding] = new Uint8Array(await readFile(path));
  }
  return out;
}

/** Whether `dir` holds a complete player build. */
export function hasPlayerFiles(dir: string): boolean {
  return PLAYER_FILE_NAMES.every((name) => existsSync(join(dir, name)));
}

/** The built stub SCORM gated packages carry, `dist/stub/stub.js`, beside the player's `dist/player/`. */
export async function readStubScript(playerDir: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(playerDir, '..', 'stub', 'stub.js')));
}

/** The built gated cmi5 launch page script, `dist/cmi5-launch/cmi5-launch.js`, beside `dist/player/`. */
export async function readCmi5LaunchScript(playerDir: string): Promise<string> {
  return readFile(join(playerDir, '..', 'cmi5-launch', 'cmi5-launch.js'), 'utf8');
}
