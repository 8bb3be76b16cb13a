import { Transform, type TransformCallback } from 'node:stream';
import yauzl from 'yauzl';
import { assertSafeEntryName } from '../../formats/zip/entry-name.js';
import { PackagerError } from '../errors.js';
import { DEFAULT_ZIP_LIMITS, RATIO_FLOOR_BYTES, type ZipLimits } from './limits.js';

/** One entry of a zip that passed the name, type and count checks. */
export interface SafeEntry {
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  /** As the header claims; never trusted for limits. */
  declaredSize: number;
  entry: yauzl.Entry;
}

/** An open zip whose entries are all safe to name on disk; reading enforces the expansion limits. */
export interface SafeZip {
  entries: SafeEntry[];
  /** A stream of the entry's bytes that fails with `zip_bomb` once a limit is crossed. */
  open(entry: SafeEntry): Promise<NodeJS.ReadableStream>;
  /** The entry's bytes in memory, refused past `maxBytes`. */
  readBuffer(entry: SafeEntry, maxBytes: number): Promise<Buffer>;
  close(): void;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function isSymlink(entry: yauzl.Entry): boolean {
  const madeBy = entry.versionMadeBy >> 8;
  // Unix (3) and macOS (19) keep st_mode in the high 16 bits of the external attributes.
  if (madeBy !== 3 && madeBy !== 19) return false;
  return ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

function bomb(message: string): PackagerError {
  return new PackagerError('zip_bomb', message);
}

async function openRaw(source: string | Uint8Array): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile) =>
      err || !zip
        ? reject(new PackagerError('invalid_package', `not a readable zip: ${err?.message}`))
        : resolve(zip);
    if (typeof source === 'string') {
      yauzl.open(source, options, (err, zip) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new PackagerError('input_not_found', `${source} does not exist`));
        } else done(err, zip);
      });
    } else yauzl.fromBuffer(Buffer.from(source.buffer, source.byteOffset, source.byteLength), options, done);
  });
}

/**
 * Opens a zip and checks every central-directory entry before anything is read: entry count, names
 * (no `..`, absolute paths, drive letters, backslashes), no symlinks, no duplicates (also case-folded,
 * which would overwrite each other on a case-insensitive disk). Expansion caps are enforced later, on
 * the bytes actually inflated.
 */
export async function openSafeZip(
  source: string | Uint8Array,
  limits: Partial<ZipLimits> = {},
): Promise<SafeZip> {
  const caps = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const zip = await openRaw(source);
  try {
    if (zip.entryCount > caps.maxEntries) {
      throw bomb(`zip has ${zip.entryCount} entries, more than the ${caps.maxEntries} allowed`);
    }
    const entries = await readEntries(zip);
    const seen = new Set<string>();
    const safe: SafeEntry[] = [];
    for (const entry of entries) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      assertSafeEntryName(name);
      if (isSymlink(entry))
        throw new PackagerError('symlink_refused', `zip entry ${JSON.stringify(name)} is a symbolic link`);
      const key = name.replace(/\/$/, '').normalize('NFC').toLowerCase();
      if (seen.has(key))
        throw new PackagerError('duplicate_entry', `zip has ${JSON.stringify(name)} more than once`);
      seen.add(key);
      if (entry.isEncrypted()) throw new PackagerError('invalid_package', `zip entry ${name} is encrypted`);
      safe.push({
        name,
        isDirectory: name.endsWith('/'),
        compressedSize: entry.compressedSize,
        declaredSize: entry.uncompressedSize,
        entry,
      });
    }
    let total = 0;
    const open = async (e: SafeEntry): Promise<NodeJS.ReadableStream> => {
      const raw = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(e.entry, (err, stream) =>
          err ? reject(new PackagerError('invalid_package', `${e.name}: ${err.message}`)) : resolve(stream),
        ),
      );
      let produced = 0;
      const guard = new Transform({
        transform(chunk: Buffer, _enc, cb: TransformCallback) {
          produced += chunk.length;
          total += chunk.length;
          if (total > caps.maxTotalBytes) {
            return cb(bomb(`zip expands past ${caps.maxTotalBytes} bytes (at ${e.name})`));
          }
          if (produced > RATIO_FLOOR_BYTES && produced / Math.max(1, e.compressedSize) > caps.maxRatio) {
            return cb(bomb(`${e.name} expands more than ${caps.maxRatio}× its compressed size`));
          }
          cb(null, chunk);
        },
      });
      raw.on('error', (err: Error) => {
        // yauzl notices an entry inflating past the size its header declared: a lying header.
        const mapped = /too many bytes/i.test(err.message)
          ? bomb(`${e.name}: ${err.message}`)
          : new PackagerError('invalid_package', `${e.name}: ${err.message}`);
        guard.destroy(mapped);
      });
      return raw.pipe(guard);
    };
    return {
      entries: safe,
      open,
      async readBuffer(e, maxBytes) {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of (await open(e)) as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw bomb(`${e.name} is larger than ${maxBytes} bytes`);
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      out.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', (err: Error) =>
      reject(new PackagerError('invalid_package', `corrupt zip: ${err.message}`)),
    );
    zip.readEntry();
  });
}
