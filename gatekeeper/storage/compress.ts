import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ContentEncoding } from './encodings.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * `max`: once per build (the player, `rollup.config.ts`), where brotli's slowest setting pays off for
 * every learner; `upload`: per course file as it is stored, where brotli 11 would take seconds per MB.
 */
export type CompressionEffort = 'max' | 'upload';

/**
 * Compresses `bytes` with one content coding, off the main thread (zlib's pool). Node only.
 * @example
 * const br = await compress(bytes, 'br', 'max');
 */
export async function compress(
  bytes: Uint8Array,
  encoding: ContentEncoding,
  effort: CompressionEffort,
): Promise<Uint8Array> {
  if (encoding === 'gzip') return new Uint8Array(await gzipAsync(bytes, { level: 9 }));
  return new Uint8Array(
    await brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: effort === 'max' ? 11 : 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  );
}
