import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import {
  copyFile,
  type FileHandle,
  link,
  mkdir,
  open,
  realpath,
  rename,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { GatekeeperError } from '../errors.js';
import { bodyToStream, compareKeys, resolveRange } from './body.js';
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-types.js';
import type { ContentEncoding } from './encodings.js';
import { MAX_COMPRESS_BYTES, wantsVariants } from './encodings.js';
import { fsFault, guardStorage } from './faults.js';
import { createVariantStore } from './fs-encoded.js';
import { createMetaStore, type FsMeta, hashFile } from './fs-meta.js';
import { sweepTempFiles, type TempFile, withTempFile } from './fs-temp.js';
import { pruneEmptyParents, walkFiles } from './fs-tree.js';
import { keyToUrlPath, normalizeKey, normalizePrefix } from './keys.js';
import type { GetResult, ListItem, ObjectInfo, Storage } from './types.js';
import { presignUpload, type UploadPresignConfig } from './upload-signature.js';

export interface FsStorageOptions {
  /** Directory holding everything (created if missing), e.g. `<dataDir>/content`. */
  root: string;
  /** Enables `presignPut`: URLs to `createUploadApp`, mounted at `presign.baseUrl`. */
  presign?: UploadPresignConfig;
  /**
   * Temporary files older than this (ms, default an hour) are what a crash left behind: removed when
   * the storage is created. Younger ones may be another process's write in progress.
   */
  staleTempMs?: number;
  /** Clock for the age of temporary files. */
  now?: () => Date;
}

const HOUR_MS = 3600_000;

const isCode = (err: unknown, ...codes: string[]) =>
  codes.includes((err as NodeJS.ErrnoException | undefined)?.code ?? '');

/**
 * Local-disk storage. Objects live in `<root>/objects/<key>` (the layout stays readable), their content
 * type and sha256 in `<root>/meta/`, and writes land in `<root>/tmp/` first, then are renamed into place,
 * so a reader never sees half a file. Symbolic links are never followed: a key reaching one reads as missing.
 * Text objects get compressed variants as they are stored (`fs-encoded.ts`), which `head`/`get` offer.
 *
 * @example
 * const storage = await createFsStorage({ root: './data/content' });
 * await storage.put('courses/intro/d1/index.html', '<h1>Hi</h1>');
 */
export async function createFsStorage(options: FsStorageOptions): Promise<Storage> {
  await mkdir(options.root, { recursive: true });
  const root = await realpath(options.root);
  const objects = join(root, 'objects');
  const metaDir = join(root, 'meta');
  const tmpDir = join(root, 'tmp');
  await Promise.all([objects, metaDir, tmpDir].map((d) => mkdir(d, { recursive: true })));
  await sweepTempFiles(
    tmpDir,
    options.staleTempMs ?? HOUR_MS,
    (options.now ?? (() => new Date()))().getTime(),
  );
  const variants = createVariantStore(join(root, 'encoded'), tmpDir);

  const objectPath = (key: string) => join(objects, ...key.split('/'));
  const meta = createMetaStore(metaDir, tmpDir);

  /** True when no component between the objects root and `path` is a symbolic link. */
  async function noLinks(path: string): Promise<boolean> {
    try {
      return (await realpath(path)) === path;
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR', 'ELOOP')) return false;
      throw err;
    }
  }

  /** Opens a stored regular file, or undefined when missing, a directory or reached through a link. */
  async function openObject(key: string): Promise<FileHandle | undefined> {
    const path = objectPath(key);
    if (!(await noLinks(path))) return undefined;
    let fh: FileHandle;
    try {
      fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR')) return undefined;
      throw err;
    }
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      return undefined;
    }
    return fh;
  }

  /** The object's info, and its sha256 when the sidecar still vouches for it (variants are named by it). */
  async function info(key: string, fh: FileHandle): Promise<[ObjectInfo, string | undefined]> {
    const [st, m] = await Promise.all([fh.stat(), meta.read(key)]);
    // The sidecar is trusted only while it still describes the file next to it.
    const current = m && m.size === st.size && m.ino === st.ino ? m : undefined;
    const described: ObjectInfo = {
      key,
      size: st.size,
      contentType: current?.contentType ?? contentTypeFor(key) ?? DEFAULT_CONTENT_TYPE,
      etag: current
        ? `"${current.sha256}"`
        : `"${st.ino.toString(16)}-${st.size.toString(16)}-${st.mtimeMs}"`,
      lastModified: st.mtime,
    };
    return [described, current?.sha256];
  }

  /** Creates the parent directories of `path`, refusing to write through a link or over a file. */
  async function prepareParent(key: string, path: string): Promise<void> {
    const parent = dirname(path);
    try {
      await mkdir(parent, { recursive: true });
    } catch (err) {
      if (isCode(err, 'EEXIST', 'ENOTDIR'))
        throw new GatekeeperError('storage_key_taken', `Storage key ${key} is inside an existing object`);
      throw err;
    }
    if (!(await noLinks(parent)))
      throw new GatekeeperError('invalid_storage_key', `Storage key ${key} goes through a link`);
  }

  /**
   * Moves a finished temporary file into place, its sidecar first (it describes the new inode). Runs
   * inside `withTempFile`, which removes the temporary file when this fails.
   */
  async function commit(key: string, tmp: TempFile, m: Omit<FsMeta, 'ino'>): Promise<void> {
    const path = objectPath(key);
    try {
      await prepareParent(key, path);
      await meta.write(key, { ...m, ino: (await stat(tmp.path)).ino });
      await rename(tmp.path, path);
    } catch (err) {
      if (isCode(err, 'EISDIR', 'ENOTEMPTY'))
        throw new GatekeeperError('storage_key_taken', `Storage key ${key} is a prefix of other objects`);
      throw err;
    }
  }

  /** The whole of one compressed variant (ranges are served from the object itself). */
  async function getVariant(
    key: string,
    fh: FileHandle,
    encoding: ContentEncoding,
  ): Promise<GetResult | null> {
    let vh: FileHandle | undefined;
    try {
      const [base, sha256] = await info(key, fh);
      const described = await variants.describe(base, sha256, [encoding]);
      vh = described && sha256 ? await variants.open(sha256, encoding) : undefined;
      if (!described || !vh) return null;
      const stream = createReadStream('', { fd: vh, autoClose: true });
      vh = undefined;
      return { ...described, body: Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array> };
    } finally {
      await fh.close();
      await vh?.close();
    }
  }

  const storage: Storage = {
    driver: 'fs',

    async put(rawKey, body, opts = {}) {
      const key = normalizeKey(rawKey);
      // Kept in memory only while small enough to get compressed variants.
      let chunks: Uint8Array[] | undefined = [];
      const { sha256, size, contentType } = await withTempFile(tmpDir, async (tmp) => {
        const hash = createHash('sha256');
        let size = 0;
        const fh = await open(tmp.path, 'wx');
        try {
          const reader = bodyToStream(body).getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            hash.update(value);
            size += value.byteLength;
            if (size > MAX_COMPRESS_BYTES) chunks = undefined;
            chunks?.push(value);
            for (let off = 0; off < value.byteLength; ) off += (await fh.write(value, off)).bytesWritten;
          }
        } finally {
          await fh.close();
        }
        const sha256 = hash.digest('hex');
        const mismatch =
          (opts.sha256 !== undefined && opts.sha256.toLowerCase() !== sha256) ||
          (opts.size !== undefined && opts.size !== size);
        if (mismatch)
          throw new GatekeeperError('checksum_mismatch', `Body of ${key} does not match its sha256 or size`);
        const contentType = opts.contentType ?? contentTypeFor(key) ?? DEFAULT_CONTENT_TYPE;
        await commit(key, tmp, { contentType, sha256, size });
        return { sha256, size, contentType };
      });
      if (chunks && wantsVariants(contentTypeFor(key) ?? contentType, size))
        await variants.ensure(sha256, Buffer.concat(chunks), opts.encoded);
      return { key, size, contentType, etag: `"${sha256}"` };
    },

    async get(rawKey, opts = {}) {
      const key = normalizeKey(rawKey);
      const fh = await openObject(key);
      if (!fh) return null;
      if (opts.encoding) return getVariant(key, fh, opts.encoding);
      try {
        const [meta] = await info(key, fh);
        let range: { start: number; end: number } | undefined;
        if (opts.range) {
          const r = resolveRange(opts.range, meta.size);
          if (!r)
            throw new GatekeeperError('range_not_satisfiable', `Range outside ${key} (${meta.size} bytes)`);
          range = r;
        }
        const stream = createReadStream('', {
          fd: fh,
          start: range?.start ?? 0,
          ...(range ? { end: range.end } : {}),
          autoClose: true,
        });
        const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
        const result: GetResult = { ...meta, body };
        if (range) result.range = range;
        return result;
      } catch (err) {
        await fh.close();
        throw err;
      }
    },

    async head(rawKey, opts = {}) {
      const key = normalizeKey(rawKey);
      const fh = await openObject(key);
      if (!fh) return null;
      try {
        const [base, sha256] = await info(key, fh);
        return (await variants.describe(base, sha256, opts.encodings)) ?? base;
      } finally {
        await fh.close();
      }
    },

    async list(rawPrefix, opts = {}) {
      const prefix = normalizePrefix(rawPrefix);
      const limit = Math.max(1, Math.min(1000, opts.limit ?? 1000));
      const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const baseDir = base ? objectPath(base) : objects;
      if (base && !(await noLinks(baseDir))) return { items: [] };
      const keys: string[] = [];
      await walkFiles(baseDir, base, keys);
      const cursor = opts.cursor;
      const matching = keys
        .filter((k) => k.startsWith(prefix) && (cursor === undefined || compareKeys(k, cursor) > 0))
        .sort(compareKeys);
      const page = matching.slice(0, limit);
      const items: ListItem[] = [];
      for (const key of page) {
        const st = await stat(objectPath(key)).catch(() => undefined);
        if (st) items.push({ key, size: st.size });
      }
      const last = page[page.length - 1];
      return matching.length > limit && last !== undefined ? { items, cursor: last } : { items };
    },

    async copy(rawFrom, rawTo) {
      const from = normalizeKey(rawFrom);
      const to = normalizeKey(rawTo);
      const fh = await openObject(from);
      if (!fh) return false;
      const source = await fh.stat().finally(() => fh.close());
      return withTempFile(tmpDir, async (tmp) => {
        try {
          // Objects are only ever replaced by rename, never written in place, so a hard link is a safe
          // copy and makes an unchanged redeploy cost no data at all.
          await link(objectPath(from), tmp.path).catch(async (err: unknown) => {
            if (!isCode(err, 'EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP')) throw err;
            await copyFile(objectPath(from), tmp.path, constants.COPYFILE_FICLONE);
          });
        } catch (err) {
          if (isCode(err, 'ENOENT')) return false;
          throw err;
        }
        const size = (await stat(tmp.path)).size;
        const known = await meta.read(from);
        await commit(to, tmp, {
          contentType: known?.contentType ?? contentTypeFor(to) ?? DEFAULT_CONTENT_TYPE,
          sha256:
            known && known.size === size && known.ino === source.ino
              ? known.sha256
              : await hashFile(tmp.path),
          size,
        });
        // Renaming a link onto another link of the same file does nothing, leaving the temporary name behind.
        await tmp.remove();
        return true;
      });
    },

    async delete(rawKey) {
      const key = normalizeKey(rawKey);
      const path = objectPath(key);
      if (!(await noLinks(dirname(path)))) return;
      try {
        await unlink(path);
      } catch (err) {
        if (!isCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM')) throw err;
      }
      await meta.remove(key);
      await pruneEmptyParents(path, objects);
    },
  };
  const presign = options.presign;
  if (presign) {
    storage.presignPut = async (rawKey, opts) => {
      const key = normalizeKey(rawKey);
      return presignUpload(presign, key, keyToUrlPath(key), opts);
    };
  }
  return guardStorage(storage, fsFault);
}
