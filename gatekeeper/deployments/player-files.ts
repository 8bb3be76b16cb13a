import type { ContentEncoding } from '../storage/encodings.js';

/** One file of the gated-delivery player, stored under `<deployment>/_coursegate/` of every deployment. */
export interface PlayerFile {
  /** Name inside `_coursegate/`, e.g. `player.js`. */
  path: string;
  body: Uint8Array;
  contentType: string;
  /** Its compressed forms, made once at build (`<name>.br`, `<name>.gz` beside it in `dist/player/`). */
  encoded?: Partial<Record<ContentEncoding, Uint8Array>>;
}

/** Suffix of each precompressed form of a built file in `dist/player/`. */
export const ENCODED_SUFFIX: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };

/** The files `dist/player/` must hold (docs/gated-delivery.md); the `*.size.json` reports stay out. */
export const PLAYER_FILE_NAMES = ['player.html', 'player.js', 'scorm12.min.js', 'scorm2004.min.js'] as const;

/** Prefix of the player inside a deployment; course files may not use it. */
export const PLAYER_DIR = '_coursegate';
