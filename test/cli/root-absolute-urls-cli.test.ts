import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

/**
 * Vite's default `base: '/'` writes an entry page that loads `/assets/…`, which 404s inside an LMS
 * (issue 21): `coursegate package` and `coursegate deploy` say so, naming the page, each URL and the fix.
 * The project is built by the real Vite; what it wrote under `assets/` is the oracle for the URLs.
 */
const home = tempDir('cg-root-abs-home-');
let project: string;
let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
const METADATA = { id: 'vite-course', title: 'Vite course', version: '1.0.0', entry: 'index.html' };

async function viteBuild(base: string, outDir: string): Promise<void> {
  await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--base', base, '--outDir', outDir],
    {
      cwd: project,
    },
  );
}

beforeAll(async () => {
  project = makeCourseDir({
    'coursegate.json': JSON.stringify(METADATA),
    'index.html':
      '<!doctype html><html><head><link rel="icon" href="/favicon.svg"><link rel="preconnect" href="//cdn.example.com"><title>Vite course</title></head><body><script type="module" src="/src/main.js"></script></body></html>',
    'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'src/main.js': 'import "./style.css";\ndocument.body.append("hello");\n',
    'src/style.css': 'body { color: teal; }\n',
  });
  await viteBuild('/', 'dist');
  await viteBuild('./', 'dist-relative');
  env = await startDeployGatekeeper('fs', 'vite-course');
}, 120_000);
afterAll(async () => {
  await env?.close();
  removeDir(project);
  removeDir(home);
});

/** `/assets/<file>` for every file Vite wrote under `dist/assets`. */
const viteAssets = () => readdirSync(join(project, 'dist/assets')).map((f) => `/assets/${f}`);

function expectWarning(stderr: string, page: string): void {
  const lines = stderr.split('\n').filter((l) => l.startsWith('warning: '));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(`warning: ${page} loads `);
  expect(viteAssets().length).toBeGreaterThanOrEqual(3);
  for (const url of viteAssets()) expect(lines[0]).toContain(url);
  // Protocol-relative (another site) is not root-absolute.
  expect(lines[0]).not.toContain('//cdn.example.com');
  expect(lines[0]).toContain("base: './'");
}

describe('root-absolute URLs in the entry page', { timeout: 60_000 }, () => {
  it("package: a Vite build with base '/' is packaged with a warning naming the page, each URL and the fix", async () => {
    const r = await runCoursegate(['package', 'dist', '-f', 'scorm12', '-o', join(home, 'a.zip')], {
      cwd: project,
    });
    expect(r.code, r.stderr).toBe(0);
    expectWarning(r.stderr, join('dist', 'index.html'));
  });

  it("package: the same course built with base './' packages without a warning", async () => {
    const r = await runCoursegate(['package', 'dist-relative', '-f', 'cmi5', '-o', join(home, 'b.zip')], {
      cwd: project,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
  });

  it("deploy: the base '/' build deploys with the same warning, the base './' one without", async () => {
    const run = (dir: string) =>
      runCoursegate(['deploy', dir, '--course', 'vite-course'], {
        cwd: project,
        isolated: true,
        env: { HOME: home, COURSEGATE_URL: env.gk.url, COURSEGATE_API_KEY: env.key },
      });
    const r = await run('dist');
    expect(r.code, r.stderr).toBe(0);
    expectWarning(r.stderr, join('dist', 'index.html'));
    const clean = await run('dist-relative');
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).not.toContain('warning');
  });
});
