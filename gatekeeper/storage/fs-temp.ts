import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A temporary file of the fs driver: written in `tmp/`, then renamed into place or removed. */
export interface TempFile {
  path: string;
  /** Removes the file; a file already renamed away or removed is no error. */
  remove(): Promise<void>;
}

/** A new, unused name in `tmpDir`. */
export function tempFile(tmpDir: string): TempFile {
  const path = join(tmpDir, randomUUID());
  return { path, remove: () => unlink(path).catch(() => {}) };
}

/**
 * Runs `work` on a new temporary file and removes the file when `work` fails (a full disk fails a write
 * half way and leaves a partial file behind otherwise), so the error is the only trace.
 */
export async function withTempFile<T>(tmpDir: string, work: (tmp: TempFile) => Promise<T>): Promise<T> {
  const tmp = tempFile(tmpDir);
  try {
    return await work(tmp);
  } catch (err) {
    await tmp.remove();
    throw err;
  }
}

/** Writes `data` to a new temporary file, which is gone again when the write fails. */
export function writeTempFile(tmpDir: string, data: string | Uint8Array): Promise<TempFile> {
  return withTempFile(tmpDir, async (tmp) => {
    await writeFile(tmp.path, data);
    return tmp;
  });
}

/**
 * Writes `data` to `dest` through a temporary file renamed into place (its folder made first), so a reader
 * never sees half a file and a failed write leaves nothing behind.
 */
export async function writeFileAtomically(
  tmpDir: string,
  dest: string,
  data: string | Uint8Array,
): Promise<void> {
  const tmp = await writeTempFile(tmpDir, data);
  try {
    await mkdir(dirname(dest), { recursive: true });
    await rename(tmp.path, dest);
  } catch (err) {
    await tmp.remove();
    throw err;
  }
}

/**
 * Removes the temporary files a crash left in `tmpDir`: those last written more than `olderThanMs` before
 * `nowMs`. Younger ones may belong to a write in progress (another process on the same folder). Returns
 * how many were removed.
 */
export async function sweepTempFiles(tmpDir: string, olderThanMs: number, nowMs: number): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpDir)) {
    const path = join(tmpDir, name);
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isFile() || nowMs - st.mtimeMs < olderThanMs) continue;
    await unlink(path).then(
      () => removed++,
      () => {},
    );
  }
  return removed;
}
