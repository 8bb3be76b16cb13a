import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

// The design notes the project started from live outside the repository; a reader of the code has only
// the repository's own docs. Spelled in two halves so this file does not cite what it forbids.
const FORBIDDEN = [`DESIGN${'.md'}`, `DESIGN ${'§'}`];

/** What is neither the project's source nor its docs: dependencies, build output, local data, git. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', 'coverage', '.git', '.tmp']);
const TEXT = new Set([
  '.ts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.md',
  '.json',
  '.html',
  '.css',
  '.sql',
  '.toml',
]);

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : textFiles(path);
    return entry.isFile() && TEXT.has(extname(entry.name)) ? [path] : [];
  });
}

/** Every line of `text` that cites the design notes, as `file:line: text`. */
function citations(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) =>
      FORBIDDEN.some((f) => line.includes(f)) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
    );
}

describe('code and docs cite the repository, not the design notes it started from', () => {
  it('no source file or doc mentions them', () => {
    const files = textFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((path) => citations(relative(ROOT, path), readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('names the file and line of a citation', () => {
    const text = `/** A rule.\n * Content on its own origin (${FORBIDDEN[1]}5). */\n`;
    expect(citations('gatekeeper/x.ts', text)).toEqual([
      `gatekeeper/x.ts:2: * Content on its own origin (${FORBIDDEN[1]}5). */`,
    ]);
    expect(citations('docs/x.md', `See ${FORBIDDEN[0]}.`)).toEqual([`docs/x.md:1: See ${FORBIDDEN[0]}.`]);
    expect(citations('docs/x.md', 'See docs/architecture.md.')).toEqual([]);
  });
});
