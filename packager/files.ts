import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PackagerError } from './errors.js';
import { leftOutByName, type SkippedEntry } from './left-out.js';
import type { ZipSource } from './zip/writer.js';

export interface ListFilesOptions {
  /** Keep `*.map` files (`--include-sourcemaps`). */
  includeSourcemaps?: boolean;
  /** Told of each entry left out by the shared rule (`left-out.ts`), in no particular order. */
  onSkip?: (entry: SkippedEntry) => void;
}

/**
 * Lists every regular file under `dir` as zip sources with forward-slash paths (in no particular order:
 * the zip writer sorts). What never leaves the machine (`.git`, `node_modules`, `.env*`, source maps unless
 * asked, the root `coursegate.json`: the same rule as a deploy) is left out and reported to `onSkip`.
 * Symlinks are refused (a link could pull files from outside the course into the package); directories
 * are walked.
 */
export async function listFiles(dir: string, options: ListFilesOptions = {}): Promise<ZipSource[]> {
  const root = await lstat(dir).catch(() => undefined);
  if (!root?.isDirectory()) throw new PackagerError('input_not_found', `${dir} is not a directory`);
  const includeSourcemaps = options.includeSourcemaps ?? false;
  const out: ZipSource[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    // Siblings are visited concurrently: on a course of thousands of files the stat calls dominate.
    await Promise.all(
      entries.map(async (entry) => {
        const childAbs = join(abs, entry.name);
        // NFC, so a folder copied from macOS (NFD names) packages to the same bytes as anywhere else.
        const childRel = (rel === '' ? entry.name : `${rel}/${entry.name}`).normalize('NFC');
        // Before the link check: a left-out entry that is a link (a linked node_modules) is no error.
        const reason = leftOutByName(childRel, entry.isDirectory(), includeSourcemaps);
        if (reason) {
          options.onSkip?.({ path: entry.isDirectory() ? `${childRel}/` : childRel, reason });
          return;
        }
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
