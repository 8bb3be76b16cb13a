import type { Dirent } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/** Appends the key of every regular file under `dir` to `out`; links and special files are not keys. */
export async function walkFiles(dir: string, prefix: string, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw err;
  }
  for (const e of entries) {
    const key = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) await walkFiles(join(dir, e.name), key, out);
    else if (e.isFile()) out.push(key);
  }
}

/** Removes the directories a deleted file leaves empty, up to (not including) `root`. */
export async function pruneEmptyParents(path: string, root: string): Promise<void> {
  let dir = dirname(path);
  while (dir.startsWith(root + sep)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
