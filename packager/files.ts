import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PackagerError } from './errors.js';
import type { ZipSource } from './zip/writer.js';

/**
 * Lists every regular file under `dir` as zip sources with forward-slash paths (in no particular order:
 * the zip writer sorts). Symlinks are refused
 * (a link could pull files from outside the course into the package); directories are walked.
 */
export async function listFiles(dir: string): Promise<ZipSource[]> {
  const root = await lstat(dir).catch(() => undefined);
  if (!root?.isDirectory()) throw new PackagerError('input_not_found', `${dir} is not a directory`);
  const out: ZipSource[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    // Siblings are visited concurrently: on a course of thousands of files the stat calls dominate.
    await Promise.all(
      entries.map(async (entry) => {
        const childAbs = join(abs, entry.name);
        // NFC, so a folder copied from macOS (NFD names) packages to the same bytes as anywhere else.
        const childRel = (rel === '' ? entry.name : `${rel}/${entry.name}`).normalize('NFC');
        if (entry.isSymbolicLink()) {
          throw new PackagerError(
            'symlink_refused',
            `${childRel} is a symbolic link; copy the file in instead`,
          );
        }
        if (entry.isDirectory()) await walk(childAbs, childRel);
        else if (entry.isFile()) {
          const { size } = await lstat(childAbs);
          out.push({
            path: childRel,
            size,
            open: () => createReadStream(childAbs, { highWaterMark: 256 * 1024 }),
            read: () => readFile(childAbs),
            file: childAbs,
          });
        }
      }),
    );
  };
  await walk(dir, '');
  return out;
}
