import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  extractPackage,
  inspectPackage,
  type Launchable,
  PackagerError,
  type Standard,
  type ZipLimits,
} from '../../packager/index.js';

/** What the demo LMS keeps about one uploaded package (`<dir>/meta/<id>.json`). */
export interface UploadedPackage {
  id: string;
  /** The uploaded file's name, as the browser sent it. */
  fileName: string;
  title: string;
  standard: Standard;
  edition: 2 | 3 | 4 | null;
  /** SCOs and assets (SCORM) or AUs (cmi5), in manifest order; launch URLs relative to the package root. */
  launchables: Launchable[];
  uploadedAt: string;
}

export interface UploadStoreOptions {
  /** The demo LMS's own folder (`<dataDir>/demo-lms`); nothing is ever written outside it. */
  dir: string;
  /** Caps on the unpacked package; default 50,000 entries, 1 GiB, ratio 200. */
  zipLimits?: Partial<ZipLimits>;
  now: () => Date;
}

const DEMO_ZIP_LIMITS: ZipLimits = { maxEntries: 50_000, maxTotalBytes: 1024 ** 3, maxRatio: 200 };
const ID = /^[0-9a-f-]{36}$/;

/**
 * The packages uploaded into the demo LMS, unpacked the way an LMS imports them: the zip is inspected
 * (manifest, launchables) and passes the packager's safety checks before a byte is written, then
 * extracted into a staging folder that only becomes the package once complete.
 */
export function createUploadStore(options: UploadStoreOptions) {
  const filesDir = join(options.dir, 'packages');
  const metaDir = join(options.dir, 'meta');
  const limits = { ...DEMO_ZIP_LIMITS, ...options.zipLimits };

  const readMeta = async (id: string): Promise<UploadedPackage | undefined> => {
    if (!ID.test(id)) return undefined;
    const text = await readFile(join(metaDir, `${id}.json`), 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as UploadedPackage) : undefined;
  };

  return {
    /** Inspects, checks and unpacks one zip; a refused one throws the packager's `PackagerError`. */
    async add(fileName: string, zip: Uint8Array): Promise<UploadedPackage> {
      const info = await inspectPackage(zip, limits);
      if (!info.launchables.length)
        throw new PackagerError('entry_not_found', 'the manifest lists nothing to launch');
      const id = randomUUID();
      await mkdir(filesDir, { recursive: true });
      await mkdir(metaDir, { recursive: true });
      // extractPackage removes a target it created when it fails; the rename publishes it whole.
      const staging = join(filesDir, `.incoming-${id}`);
      await extractPackage(zip, staging, limits);
      await rename(staging, join(filesDir, id));
      const meta: UploadedPackage = {
        id,
        fileName: fileName.slice(0, 200),
        title: info.title || fileName,
        standard: info.standard,
        edition: info.edition,
        launchables: info.launchables,
        uploadedAt: options.now().toISOString(),
      };
      await writeFile(join(metaDir, `${id}.json`), JSON.stringify(meta, null, 2));
      return meta;
    },

    /** Every uploaded package, oldest first. */
    async list(): Promise<UploadedPackage[]> {
      const names = await readdir(metaDir).catch(() => [] as string[]);
      const all = await Promise.all(
        names.filter((n) => n.endsWith('.json')).map((n) => readMeta(n.slice(0, -5))),
      );
      return all
        .filter((p): p is UploadedPackage => p !== undefined)
        .sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt));
    },

    get: readMeta,

    /**
     * The absolute path of a file of a package, or undefined when it is not a regular file inside it
     * (`path` is the URL path below the package root, still percent-encoded).
     */
    async file(id: string, path: string): Promise<string | undefined> {
      if (!ID.test(id)) return undefined;
      let segments: string[];
      try {
        segments = path.split('/').map(decodeURIComponent);
      } catch {
        return undefined;
      }
      if (segments.some((s) => s === '' || s === '.' || s === '..' || /[\\\0]/.test(s))) return undefined;
      const root = join(filesDir, id);
      const full = join(root, ...segments);
      const real = await realpath(full).catch(() => undefined);
      if (!real) return undefined;
      const rel = relative(await realpath(root), real);
      if (rel.startsWith(`..${sep}`) || rel === '..' || rel === '') return undefined;
      return (await stat(real)).isFile() ? real : undefined;
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
