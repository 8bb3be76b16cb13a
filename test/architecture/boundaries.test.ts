import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, importGraph } from '../helpers/import-graph.js';
import { ROOT } from '../helpers/paths.js';
import { ALLOWED, PARTS, PENDING } from './parts.js';

const DIRS = [
  'protocol',
  'formats',
  'runtime',
  'delivery',
  'packager',
  'gatekeeper',
  'demo',
  'examples',
  'scripts',
  'rollup.config.ts',
];

function partOf(path: string): string {
  const found = PARTS.find((p) => p.match.test(path));
  if (!found) throw new Error(`${path} belongs to no part: add it to test/architecture/parts.ts`);
  return found.part;
}

/** Every import that crosses parts against the table, as `from → to (a → b)`; pending ones left out. */
function forbidden(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const [a, b] = [partOf(e.from), partOf(e.to)];
    const allowed = ALLOWED[a];
    if (a === b || allowed === 'anything' || allowed?.includes(b)) continue;
    if (`${e.from} → ${e.to}` in PENDING) continue;
    out.push(`${e.from} → ${e.to} (${a} may not import ${b}; imported as '${e.specifier}')`);
  }
  return [...new Set(out)].sort();
}

const graph = importGraph(ROOT, DIRS);

describe('the parts depend one way (docs/architecture.md, "Parts and directions")', () => {
  it('no import crosses parts against the table', () => {
    expect(forbidden(graph)).toEqual([]);
  });

  it('names the importing file, the imported one and the rule when one forbidden import is added', () => {
    const added = [
      ...graph,
      { from: 'gatekeeper/app.ts', to: 'packager/cli.ts', specifier: '../packager/cli.js' },
    ];
    expect(forbidden(added)).toEqual([
      "gatekeeper/app.ts → packager/cli.ts (gatekeeper may not import cli; imported as '../packager/cli.js')",
    ]);
    const intoDemo = [
      ...graph,
      { from: 'runtime/start.ts', to: 'demo/main.ts', specifier: '../demo/main.js' },
    ];
    expect(forbidden(intoDemo)).toEqual([
      "runtime/start.ts → demo/main.ts (runtime may not import demo; imported as '../demo/main.js')",
    ]);
  });

  it('lists as pending only imports that still exist (delete an entry once its import is gone)', () => {
    const present = new Set(graph.map((e) => `${e.from} → ${e.to}`));
    expect(Object.keys(PENDING).filter((edge) => !present.has(edge))).toEqual([]);
  });

  it('reads the imports it judges: the graph holds the known edges of each kind', () => {
    const has = (from: string, to: string) => graph.some((e) => e.from === from && e.to === to);
    expect(has('delivery/stub/stub.ts', 'runtime/lms/discover.ts')).toBe(true);
    expect(has('demo/main.ts', 'gatekeeper/server.ts')).toBe(true);
  });

  it('counts dynamic import() and export … from as much as a static import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-graph-'));
    try {
      mkdirSync(join(dir, 'a'));
      writeFileSync(
        join(dir, 'a/lazy.ts'),
        "export const run = async () => (await import('../b/heavy.js')).x;\n",
      );
      writeFileSync(join(dir, 'a/index.ts'), "export * from '../b/types.js';\n");
      mkdirSync(join(dir, 'b'));
      writeFileSync(join(dir, 'b/heavy.ts'), 'export const x = 1;\n');
      writeFileSync(join(dir, 'b/types.ts'), 'export type T = 1;\n');
      const edges = importGraph(dir, ['a']).map((e) => `${e.from} → ${e.to}`);
      expect(edges.sort()).toEqual(['a/index.ts → b/types.ts', 'a/lazy.ts → b/heavy.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
