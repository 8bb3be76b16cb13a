import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './paths.js';

/**
 * The one way tests find `../shared` (fixtures and standards that stay outside the repository).
 * `COURSEGATE_SHARED` overrides the location.
 */
export const SHARED_DIR = resolve(process.env.COURSEGATE_SHARED ?? join(ROOT, '..', 'shared'));

export interface SharedLookup {
  /** Absolute path, or undefined when missing (outside CI). */
  path: string | undefined;
  /** Why it is missing, for `it.skipIf(...)` messages. */
  reason: string;
}

/**
 * Resolves `relative` inside the shared folder. Missing on a stranger's clone: tests skip with a message
 * naming the file. Missing under `CI=true`: throws, so the run fails instead of silently skipping.
 */
export function sharedFile(relative: string): SharedLookup {
  const path = join(SHARED_DIR, relative);
  if (existsSync(path)) return { path, reason: '' };
  const reason = `missing ${path} (set COURSEGATE_SHARED to the folder holding fixtures/ and standards/)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return { path: undefined, reason };
}
