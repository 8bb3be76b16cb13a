import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PackagerError } from '../errors.js';
import { leftOutByName, type SkippedEntry, type SkipReason } from '../left-out.js';
import { runPool } from './pool.js';

export type { SkippedEntry, SkipReason } from '../left-out.js';

export interface CollectOptions {
  /** Upload `*.map` files too (`--include-sourcemaps`). */
  includeSourcemaps?: boolean;
  /** Files hashed at once (default 8). */
  concurrency?: number;
}

export interface CollectedFile {
  /** POSIX path relative to the build directory, NFC: the key suffix in storage. */
  path: string;
  absolutePath: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface CollectResult {
  /** The build directory, resolved. */
  root: string;
  /** Sorted by path. */
  files: CollectedFile[];
  /** What was left out and why, so the CLI can name it. */
  skipped: SkippedEntry[];
  totalBytes: number;
}

interface Candidate {
  path: string;
  absolutePath: string;
}

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent + sep);

/** sha256 (hex) and size of one file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Walks a build directory and returns what a deploy uploads: every regular file with its sha256 (streamed,
 * never read whole) and size. Source and secrets never leave the machine: what `leftOutByName` names (`.git`,
 * `node_modules`, `.env*`, source maps unless asked, the root `coursegate.json`) and links leading outside
 * the directory are left out and listed in `skipped`.
 *
 * @example
 * const { files, skipped } = await collectFiles('dist');
 * for (const s of skipped) console.log(describeSkipped(s)); // left out .env (environment file)
 */
/**
 * Why the file or folder a link leads to would be left out by its own path (`settings.txt -> .env`,
 * `vendor -> node_modules`), or by a folder on that path: the rule is about what ships, not about the
 * name a link gives it.
 */
function leftOutTarget(
  targetRel: string,
  isDir: boolean,
  includeSourcemaps: boolean,
): SkipReason | undefined {
  const parts = targetRel.split(sep);
  for (let i = 1; i <= parts.length; i++) {
    const reason = leftOutByName(parts.slice(0, i).join('/'), i < parts.length || isDir, includeSourcemaps);
    if (reason) return reason;
  }
  return undefined;
}

export async function collectFiles(dir: string, options: CollectOptions = {}): Promise<CollectResult> {
  const includeSourcemaps = options.includeSourcemaps ?? false;
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new PackagerError('input_not_found', `Build directory not found: ${dir}`);
  }
  const candidates: Candidate[] = [];
  const skipped: SkippedEntry[] = [];

  async function walk(abs: string, rel: string, chain: string[]): Promise<void> {
    const entries: Dirent[] = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const entryAbs = join(abs, entry.name);
      const entryRel = rel ? `${rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let target = entryAbs;
      if (entry.isSymbolicLink()) {
        try {
          target = await realpath(entryAbs);
        } catch {
          skipped.push({ path: entryRel, reason: 'symlink_broken' });
          continue;
        }
        if (!isInside(target, root)) {
          skipped.push({ path: entryRel, reason: 'symlink_outside' });
          continue;
        }
        const st = await stat(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir && chain.some((ancestor) => isInside(ancestor, target))) {
          skipped.push({ path: `${entryRel}/`, reason: 'symlink_loop' });
          continue;
        }
      }
      const excluded =
        leftOutByName(entryRel, isDir, includeSourcemaps) ??
        (target === entryAbs ? undefined : leftOutTarget(relative(root, target), isDir, includeSourcemaps));
      if (excluded) skipped.push({ path: isDir ? `${entryRel}/` : entryRel, reason: excluded });
      else if (isDir) await walk(entryAbs, entryRel, [...chain, target]);
      else if (isFile) candidates.push({ path: entryRel, absolutePath: entryAbs });
      else skipped.push({ path: entryRel, reason: 'special_file' });
    }
  }
  await walk(root, '', [root]);

  const seen = new Set<string>();
  const unique: Candidate[] = [];
  for (const c of candidates) {
    // NFC: a name written by macOS (NFD) and the same name typed elsewhere must be one key, not two.
    const path = c.path.normalize('NFC');
    if (seen.has(path)) skipped.push({ path: c.path, reason: 'duplicate_path' });
    else {
      seen.add(path);
      unique.push({ path, absolutePath: c.absolutePath });
    }
  }

  const files: CollectedFile[] = new Array(unique.length);
  await runPool(unique, options.concurrency ?? 8, async (c, i) => {
    try {
      files[i] = { ...c, ...(await hashFile(c.absolutePath)) };
    } catch (err) {
      throw new PackagerError('io_error', `Cannot read ${c.path}: ${(err as Error).message}`);
    }
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  return { root, files, skipped, totalBytes };
}
