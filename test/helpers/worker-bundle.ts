import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ROOT } from './paths.js';

/**
 * What the Worker may import from Node's built-ins: only what the `nodejs_compat` flag in wrangler.toml
 * provides and the Gatekeeper needs (`node:crypto` behind gatekeeper/crypto.ts and the upload signature).
 */
export const ALLOWED_BUILTINS = ['node:crypto'];

/** Imports that mean Node-only code reached the Worker. */
const FORBIDDEN = [
  /^node:/,
  /^(fs|path|os|net|http|https|stream|child_process|crypto|buffer|url|util)(\/|$)/,
];
const FORBIDDEN_PACKAGES = [
  /(^|\/)node_modules\/better-sqlite3\//,
  /(^|\/)node_modules\/@hono\/node-server\//,
];

export interface WorkerBundle {
  code: string;
  metafile: Metafile;
}

/**
 * Bundles gatekeeper/worker.ts the way wrangler does for workerd: browser/worker export conditions, no
 * Node platform, Node built-ins left external so that any use of one is visible in the metafile.
 */
export async function bundleWorker(): Promise<WorkerBundle> {
  const kept = keptBundle();
  if (kept) return kept;
  const builtAt = Date.now();
  const out = await build({
    absWorkingDir: ROOT,
    entryPoints: ['gatekeeper/worker.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*', 'fs', 'path', 'os', 'net', 'http', 'https', 'stream', 'child_process', 'crypto'],
    metafile: true,
    logLevel: 'silent',
  });
  const bundle = { code: out.outputFiles[0]?.text ?? '', metafile: out.metafile };
  const tmp = `${KEPT}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ ...bundle, builtAt }));
  renameSync(tmp, KEPT);
  return bundle;
}

/**
 * Every Worker test file starts its own Miniflare from this bundle (a second or more of esbuild each,
 * under load): the last one is kept in a temporary file per checkout and used again while none of its
 * input files (the metafile lists every one, node_modules included) changed since it was built.
 */
const KEPT = join(
  tmpdir(),
  `coursegate-worker-bundle-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.json`,
);

function keptBundle(): WorkerBundle | undefined {
  try {
    const kept = JSON.parse(readFileSync(KEPT, 'utf8')) as WorkerBundle & { builtAt: number };
    for (const file of Object.keys(kept.metafile.inputs))
      if (statSync(join(ROOT, file)).mtimeMs >= kept.builtAt) return undefined;
    return { code: kept.code, metafile: kept.metafile };
  } catch {
    return undefined;
  }
}

/** The chain of importers from the entry to `target`, e.g. `gatekeeper/worker.ts → … → node:fs`. */
function chainTo(metafile: Metafile, target: string): string[] {
  const entry = 'gatekeeper/worker.ts';
  const parent = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const i of metafile.inputs[file]?.imports ?? []) {
      if (parent.has(i.path)) continue;
      parent.set(i.path, file);
      if (i.path === target) queue.length = 0;
      else queue.push(i.path);
    }
  }
  const chain = [target];
  for (let p = parent.get(target); p; p = parent.get(p)) chain.unshift(p);
  return chain;
}

/** Every Node-only import in the bundle, each with the importer chain that pulled it in. */
export function nodeOnlyImports(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (FORBIDDEN_PACKAGES.some((re) => re.test(file))) found.add(file);
    for (const i of input.imports)
      if (FORBIDDEN.some((re) => re.test(i.path)) && !ALLOWED_BUILTINS.includes(i.path)) found.add(i.path);
  }
  return [...found].sort().map((leak) => chainTo(metafile, leak).join(' → '));
}
