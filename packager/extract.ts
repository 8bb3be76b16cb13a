import { createWriteStream } from 'node:fs';
import { mkdir, realpath, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PackagerError } from './errors.js';
import type { ZipLimits } from './zip/limits.js';
import { openSafeZip } from './zip/reader.js';

export interface ExtractResult {
  /** Files written, relative to the target, in zip order. */
  files: string[];
  /** Bytes written. */
  bytes: number;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Unpacks a zip into `targetDir`, refusing hostile archives with a named `PackagerError`:
 * `unsafe_path` (`..`, absolute, drive letter, backslash), `symlink_refused`, `duplicate_entry` (checked
 * on the whole central directory before anything is written) and `zip_bomb` (entry count, total
 * expanded bytes and compression ratio, counted on the bytes actually inflated). Files are created
 * exclusively (never through an existing file or link). On failure, what was written is removed.
 * @example await extractPackage('course.zip', '/tmp/course', { maxTotalBytes: 512 * 1024 ** 2 });
 */
export async function extractPackage(
  zip: string | Uint8Array,
  targetDir: string,
  limits: Partial<ZipLimits> = {},
): Promise<ExtractResult> {
  const safe = await openSafeZip(zip, limits);
  const created = !(await stat(targetDir).catch(() => undefined));
  await mkdir(targetDir, { recursive: true });
  const root = await realpath(targetDir);
  const written: string[] = [];
  let bytes = 0;
  try {
    for (const entry of safe.entries) {
      const path = join(root, ...entry.name.replace(/\/$/, '').split('/'));
      if (!inside(root, path))
        throw new PackagerError('unsafe_path', `${entry.name} resolves outside the target`);
      if (entry.isDirectory) {
        await mkdir(path, { recursive: true });
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      // A directory already in the target could be a link pointing elsewhere: check where it really is.
      if (!inside(root, await realpath(dirname(path)))) {
        throw new PackagerError(
          'symlink_refused',
          `${entry.name} would be written through a link out of the target`,
        );
      }
      const out = createWriteStream(path, { flags: 'wx' });
      written.push(path);
      const input = await safe.open(entry);
      input.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      await pipeline(input, out).catch((err: NodeJS.ErrnoException) => {
        if (err instanceof PackagerError) throw err;
        if (err.code === 'EEXIST')
          throw new PackagerError('duplicate_entry', `${entry.name} already exists in the target`);
        throw new PackagerError('io_error', `${entry.name}: ${err.message}`);
      });
    }
  } catch (err) {
    if (created) await rm(root, { recursive: true, force: true });
    else await Promise.all(written.map((p) => rm(p, { force: true })));
    throw err;
  } finally {
    safe.close();
  }
  return { files: written.map((p) => relative(root, p).split(sep).join('/')), bytes };
}
