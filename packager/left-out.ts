/**
 * What never leaves the author's machine. `coursegate package` and `coursegate deploy` walk the same kind
 * of folder and hand its files to someone else (an LMS admin, a Gatekeeper), so they share this one rule:
 * a secret kept out of a deploy must not ship in a portable zip instead.
 */

export type SkipReason =
  | 'course_config'
  | 'git'
  | 'node_modules'
  | 'env_file'
  | 'credentials'
  | 'os_file'
  | 'sourcemap'
  | 'symlink_outside'
  | 'symlink_broken'
  | 'symlink_loop'
  | 'special_file'
  | 'unsafe_name'
  | 'duplicate_path';

export interface SkippedEntry {
  /** Relative POSIX path; directories end with `/`. */
  path: string;
  reason: SkipReason;
}

const CREDENTIAL_FILES = new Set(['.npmrc', '.yarnrc', '.yarnrc.yml', '.netrc', '.pypirc']);
const OS_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** The metadata file at the root of a course folder: the author's configuration, not course content. */
export const COURSE_CONFIG_FILE = 'coursegate.json';

const LABELS: Record<SkipReason, string> = {
  course_config: 'course metadata, not content',
  git: 'git metadata',
  node_modules: 'dependencies',
  env_file: 'environment file',
  credentials: 'package manager credentials',
  os_file: 'file the operating system made',
  sourcemap: 'source map; --include-sourcemaps keeps it',
  symlink_outside: 'link leading outside the directory',
  symlink_broken: 'broken link',
  symlink_loop: 'link to an enclosing directory',
  special_file: 'not a regular file',
  unsafe_name: 'unsafe file name',
  duplicate_path: 'same name as another file after Unicode normalisation',
};

/**
 * Why the entry at `path` (relative, POSIX) is left out by its name alone, or `undefined` to keep it.
 * A directory left out is never walked, so nothing under `node_modules` or `.git` is even looked at.
 */
export function leftOutByName(
  path: string,
  isDir: boolean,
  includeSourcemaps: boolean,
): SkipReason | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.git') return 'git';
  if (name === 'node_modules') return 'node_modules';
  if (name.startsWith('.env')) return 'env_file';
  // Registry tokens live in these (`//registry.npmjs.org/:_authToken=…`); a course never needs them.
  if (CREDENTIAL_FILES.has(name)) return 'credentials';
  if (OS_FILES.has(name)) return 'os_file';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: such names cannot become storage keys
  if (/[\\\u0000-\u001f\u007f]/.test(name)) return 'unsafe_name';
  if (isDir) return undefined;
  if (path === COURSE_CONFIG_FILE) return 'course_config';
  if (!includeSourcemaps && name.toLowerCase().endsWith('.map')) return 'sourcemap';
  return undefined;
}

/** The line the CLI prints for an entry it left out: `left out .env (environment file)`. */
export function describeSkipped(entry: SkippedEntry): string {
  return `left out ${entry.path} (${LABELS[entry.reason]})`;
}
