import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { type RealGatekeeper, realGatekeeper } from '../helpers/real-gatekeeper.js';
import { serveOrigins } from '../helpers/serve.js';

/**
 * Telemetry by default (issue 21): a course whose code only calls `start()` and then throws, on the ESM
 * runtime as shipped (`@coursegate/runtime` → runtime/dist, its chunks loaded over HTTP as a bundler would
 * leave them). Launched gated, the thrown error reaches the Gatekeeper's error log with no telemetry
 * code written by the author; opened without a session, the page requests nothing beyond its own files.
 */
const b = useBrowser();
let h: GatedHarness;
let gk: RealGatekeeper;
const MESSAGE = 'the author forgot a null check';

/** The course: the shipped ESM runtime under `runtime/`, and a page that starts it and throws. */
function courseFiles(): Record<string, Uint8Array> {
  const dist = fileURLToPath(import.meta.resolve('@coursegate/runtime')).replace(/index\.js$/, '');
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.js')) files[`runtime/${relative(dist, path)}`] = readFileSync(path);
    }
  };
  walk(dist);
  files['index.html'] = Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>course</title>
<script type="module">
import { start } from './runtime/index.js';
await start();
document.documentElement.dataset.started = '';
throw new Error(${JSON.stringify(MESSAGE)});
</script></head><body>course</body></html>`);
  return files;
}

beforeAll(async () => {
  gk = realGatekeeper();
  h = await startGatedHarness({ gatekeeper: gk.handler });
  await gk.start(h.gate);
});
afterAll(async () => {
  await h?.close();
  await gk?.close();
});

type ErrorRow = { kind: string; message: string; count: number };
async function errorLog(courseId: string): Promise<ErrorRow[]> {
  const res = await fetch(`${gk.api.url}/v1/courses/${courseId}/errors`, {
    headers: { authorization: `Bearer ${gk.api.key}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { errors: ErrorRow[] }).errors;
}

describe('start() sends telemetry whenever the launch provides a session', () => {
  it('gated SCORM 1.2: an error the course throws after start() appears in the error log', async () => {
    const courseId = await gk.deploy('throws', courseFiles(), 'index.html');
    const license = await gk.license(courseId);
    const folder = h.lmsFiles('throws', await gk.gatedPackage(license.id, 'scorm12'));
    const page = await b.page();
    await page.goto(h.lmsPage({ standard: 'scorm12', seed: {}, sco: `${folder}index.html` }));
    await expect
      .poll(async () => (await errorLog(courseId)).map((e) => e.message), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining(MESSAGE));
    const course = page.frames().find((f) => f.url().startsWith(`${gk.contentUrl}/courses/${courseId}/`));
    // The runtime took the session from the fragment and removed it from the address bar.
    expect(course?.url()).not.toContain('cg-session');
  });

  it('without a session: the page requests its own files only and never loads the telemetry code', async () => {
    const files = Object.fromEntries(
      Object.entries(courseFiles()).map(([name, bytes]) => [`/${name}`, Buffer.from(bytes).toString('utf8')]),
    );
    const served = await serveOrigins([{ host: '127.0.0.1', files }]);
    try {
      const origin = served.origins[0]!;
      const page = await b.page();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      const thrown = new Promise<string>((r) => page.on('pageerror', (e) => r(e.message)));
      await page.goto(`${origin}/index.html`);
      expect(await thrown).toContain(MESSAGE);
      await page.locator('html[data-started]').waitFor({ state: 'attached' });
      expect(requested.length).toBeGreaterThan(1);
      for (const url of requested) expect(url.startsWith(`${origin}/`), url).toBe(true);
      expect(requested.filter((u) => u.includes('from-launch'))).toEqual([]);
    } finally {
      await served.close();
    }
  });
});
