import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './fs-temp.js';

/** What the fs driver keeps beside each object. */
export interface FsMeta {
  contentType: string;
  sha256: string;
  size: number;
  /** Inode of the data file it describes: a rename keeps it, so a sidecar left over by a racing write is spotted. */
  ino: number;
}

/** Streams a file through sha256 (lower-case hex), never reading it whole. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Sidecar metadata of the fs driver, one JSON file per key under `metaDir`, named by the key's hash so
 * no key can collide with another's sidecar or with a directory.
 */
export function createMetaStore(metaDir: string, tmpDir: string) {
  const path = (key: string) => {
    const h = createHash('sha256').update(key).digest('hex');
    return join(metaDir, h.slice(0, 2), `${h}.json`);
  };
  return {
    async read(key: string): Promise<FsMeta | undefined> {
      try {
        return JSON.parse(await readFile(path(key), 'utf8')) as FsMeta;
      } catch {
        return undefined;
      }
    },
    async write(key: string, meta: FsMeta): Promise<void> {
      await writeFileAtomically(tmpDir, path(key), JSON.stringify(meta));
    },
    async remove(key: string): Promise<void> {
      await unlink(path(key)).catch(() => {});
    },
  };
}
