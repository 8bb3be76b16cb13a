import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

/** Packages formats/ may import: both run unchanged on Node, in browsers and on Workers. */
const WEB_SAFE_PACKAGES = new Set(['fflate', 'saxes']);
/** Node globals that do not exist on Workers (or only behind `nodejs_compat`). */
const NODE_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename', 'global']);

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

/** What in `dir` would not run on Workers, as `file: what`: Node built-ins, other packages, Node globals. */
function nodeOnly(root: string, dir: string): string[] {
  const found: string[] = [];
  for (const file of sources(join(root, dir))) {
    const text = readFileSync(file, 'utf8');
    const name = relative(root, file);
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (fileName.startsWith('.') || WEB_SAFE_PACKAGES.has(fileName)) continue;
      found.push(`${name}: imports ${fileName}`);
    }
    const visit = (node: ts.Node): void => {
      // A free identifier: not a property name (`x.process`) nor a declaration's own name.
      if (
        ts.isIdentifier(node) &&
        NODE_GLOBALS.has(node.text) &&
        !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
        !(ts.isPropertyAssignment(node.parent) && node.parent.name === node) &&
        !((ts.isVariableDeclaration(node.parent) || ts.isParameter(node.parent)) && node.parent.name === node)
      ) {
        found.push(`${name}: uses ${node.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  }
  return [...new Set(found)].sort();
}

describe('formats/ is web-safe: the Node CLI and the Workers build run the same code (docs/architecture.md)', () => {
  it('imports no Node built-in and no package but fflate and saxes, and uses no Node global', () => {
    expect(nodeOnly(ROOT, 'formats')).toEqual([]);
  });

  it('names the file and what would not run on Workers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-formats-'));
    try {
      mkdirSync(join(dir, 'formats/zip'), { recursive: true });
      writeFileSync(
        join(dir, 'formats/zip/ok.ts'),
        "import { Deflate } from 'fflate';\nexport { Deflate };\n",
      );
      writeFileSync(
        join(dir, 'formats/zip/leak.ts'),
        "import { deflateRawSync } from 'node:zlib';\nexport const z = (s: string) => deflateRawSync(Buffer.from(s));\n",
      );
      expect(nodeOnly(dir, 'formats')).toEqual([
        'formats/zip/leak.ts: imports node:zlib',
        'formats/zip/leak.ts: uses Buffer',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
