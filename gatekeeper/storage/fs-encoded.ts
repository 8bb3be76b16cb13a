import { constants } from 'node:fs';
import { type FileHandle, lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { compress } from './compress.js';
import { contentTypeFor } from './content-types.js';
import { CONTENT_ENCODINGS, type ContentEncoding, wantsVariants, worthKeeping } from './encodings.js';
import { writeFileAtomically } from './fs-temp.js';
import type { HeadOptions, ObjectInfo } from './types.js';

const inflate: Record<ContentEncoding, (b: Uint8Array) => Promise<Buffer>> = {
  br: promisify(brotliDecompress),
  gzip: promisify(gunzip),
};

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * The fs driver's compressed variants: `<dir>/<xx>/<sha256>.<br|gzip>`, named by the sha256 of the
 * object's bytes, so identical files (the player in every deployment, unchanged files of a redeploy, a
 * `copy`) share one variant and it is made once. Outside `objects/`, so listings never see them and no
 * course file can collide with one. They are never removed with an object: another may share them, and
 * deployments are never deleted (docs/storage.md).
 */
export function createVariantStore(dir: string, tmpDir: string) {
  const path = (sha256: string, encoding: ContentEncoding) =>
    join(dir, sha256.slice(0, 2), `${sha256}.${encoding}`);

  async function exists(file: string): Promise<boolean> {
    return lstat(file).then(
      (st) => st.isFile(),
      () => false,
    );
  }

  /** A variant the caller made is kept only when it decodes to the object's bytes. */
  async function decodesTo(encoded: Uint8Array, encoding: ContentEncoding, bytes: Uint8Array) {
    try {
      return sameBytes(await inflate[encoding](encoded), bytes);
    } catch {
      return false;
    }
  }

  return {
    /** Makes the variants of `bytes` (whose sha256 is `sha256`) that do not exist yet. */
    async ensure(
      sha256: string,
      bytes: Uint8Array,
      given: Partial<Record<ContentEncoding, Uint8Array>> = {},
    ): Promise<void> {
      for (const encoding of CONTENT_ENCODINGS) {
        const file = path(sha256, encoding);
        if (await exists(file)) continue;
        const mine = given[encoding];
        const out =
          mine && (await decodesTo(mine, encoding, bytes)) ? mine : await compress(bytes, encoding, 'upload');
        if (!worthKeeping(bytes.byteLength, out.byteLength)) continue;
        // Renamed into place, so a reader never sees half a variant; two writers of one sha write the same bytes.
        await writeFileAtomically(tmpDir, file, out);
      }
    },

    /**
     * The first variant of `encodings` the object `base` (whose bytes hash to `sha256`) has, described as
     * `head` answers it: its own size, and an ETag per representation.
     */
    async describe(
      base: ObjectInfo,
      sha256: string | undefined,
      encodings: HeadOptions['encodings'],
    ): Promise<ObjectInfo | undefined> {
      if (!sha256 || !encodings?.length) return undefined;
      if (!wantsVariants(contentTypeFor(base.key) ?? base.contentType, base.size)) return undefined;
      for (const encoding of encodings) {
        const st = await lstat(path(sha256, encoding)).catch(() => undefined);
        if (st?.isFile()) return { ...base, size: st.size, etag: `"${sha256}-${encoding}"`, encoding };
      }
      return undefined;
    },

    /** Opens a variant for reading, or undefined when there is none. */
    async open(sha256: string, encoding: ContentEncoding): Promise<FileHandle | undefined> {
      return open(path(sha256, encoding), constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
    },
  };
}

export type VariantStore = ReturnType<typeof createVariantStore>;
