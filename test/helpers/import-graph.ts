import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import of one file: both paths relative to the root, the specifier as written. */
export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
}

const SOURCE = /\.(ts|tsx)$/;

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** `./x.js` as written in an ESM TypeScript import → the source file it names, if it is one of ours. */
function resolveSource(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c));
}

/**
 * Every relative import (static, `export … from`, dynamic `import()`) of every TypeScript file under
 * `dirs`, read by TypeScript's own pre-processor rather than a pattern of ours.
 */
export function importGraph(root: string, dirs: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const dir of dirs) {
    const abs = join(root, dir);
    const files = statSync(abs).isDirectory() ? [...sources(abs)] : [abs];
    for (const file of files) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of info.importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const target = resolveSource(file, fileName);
        if (target)
          edges.push({ from: relative(root, file), to: relative(root, target), specifier: fileName });
      }
    }
  }
  return edges;
}
