import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { telemetryElement } from '../../packager/telemetry-config.js';
import { PACKAGE_TELEMETRY_ELEMENT_ID } from '../../protocol/telemetry.js';
import type * as Runtime from '../../runtime/index.js';
import type * as Telemetry from '../../runtime/telemetry/index.js';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.js';

/**
 * The runtime as shipped (`runtime/dist`, found through package.json `exports`) has what docs/telemetry.md
 * tells a portable package's course to write: `start({ telemetry: telemetryFromFragment() ??
 * telemetryFromPackage() })`, on the IIFE (global `Coursegate`) and on the ESM entries `@coursegate/runtime`
 * + `@coursegate/runtime/telemetry`. The same in Chromium, packaged and against a real Gatekeeper:
 * test/e2e/portable-telemetry.test.ts.
 */
type Api = Pick<typeof Runtime, 'start'> &
  Pick<typeof Telemetry, 'telemetryFromFragment' | 'telemetryFromPackage'>;

const KEY = `cgi_${'k'.repeat(43)}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ROOT = join(fileURLToPath(import.meta.url), '../../..');
const DIST = join(ROOT, 'runtime/dist');

beforeAll(() => ensureRuntimeBuild(ROOT), 120_000);

afterEach(() => {
  document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)?.remove();
  localStorage.clear();
});

/** The element the packager writes for `--telemetry-endpoint https://gk.test --ingest-key cgi_…`. */
function packaged() {
  const config = { endpoint: 'https://gk.test', ingestKey: KEY, course: 'intro' };
  document.head.insertAdjacentHTML('afterbegin', telemetryElement(config));
}

/** Runs a course with the documented call; returns what it sent. */
async function runCourse(api: Api) {
  const sent: { url: string; auth: string; verbs: string[] }[] = [];
  const fetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
    const headers = init?.headers as Record<string, string>;
    const body = JSON.parse(String(init?.body)) as { verb: { id: string } }[];
    sent.push({
      url: String(url),
      auth: headers.Authorization ?? headers.authorization ?? '',
      verbs: body.map((s) => s.verb.id.split('/').pop() ?? ''),
    });
    return new Response('[]', { status: 200 });
  }) as typeof globalThis.fetch;
  const options = { fetch, flushDelayMs: 0 };
  const telemetry = api.telemetryFromFragment(options) ?? api.telemetryFromPackage(options);
  const course = await api.start({ standard: 'standalone', telemetry, commitDelayMs: 0 });
  course.complete();
  await course.exit();
  return { configured: Boolean(telemetry), sent };
}

async function expectSends(api: Api) {
  packaged();
  const { configured, sent } = await runCourse(api);
  expect(configured).toBe(true);
  const sessionId = localStorage.getItem('cg:anon:intro') ?? '';
  expect(sessionId).toMatch(UUID);
  expect(sent.length).toBeGreaterThan(0);
  for (const s of sent) {
    expect(s.url).toBe('https://gk.test/xapi/statements');
    expect(s.auth).toBe(`Bearer ${KEY}.${sessionId}`);
  }
  expect(sent.flatMap((s) => s.verbs)).toEqual(['launched', 'initialized', 'completed', 'terminated']);
}

describe('telemetry of a portable package on the shipped runtime', () => {
  it('IIFE: `Coursegate` has telemetryFromFragment and telemetryFromPackage, and the course sends', async () => {
    const code = readFileSync(join(DIST, 'coursegate.iife.js'), 'utf8');
    const Coursegate = new Function(`${code};return Coursegate;`)() as Api;
    expect(Object.keys(Coursegate).sort()).toEqual([
      'createCourse',
      'detectStandard',
      'findApi',
      'start',
      'telemetryFromFragment',
      'telemetryFromPackage',
    ]);
    await expectSends(Coursegate);
    // Built without endpoint and key: no telemetry, nothing sent.
    localStorage.clear();
    document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)?.remove();
    expect(await runCourse(Coursegate)).toEqual({ configured: false, sent: [] });
  });

  it('ESM: `@coursegate/runtime` + `@coursegate/runtime/telemetry` resolve to runtime/dist, and the course sends', async () => {
    expect(import.meta.resolve('@coursegate/runtime')).toBe(pathToFileURL(join(DIST, 'index.js')).href);
    expect(import.meta.resolve('@coursegate/runtime/telemetry')).toBe(
      pathToFileURL(join(DIST, 'telemetry.js')).href,
    );
    const { start } = (await import('@coursegate/runtime')) as typeof Runtime;
    const { telemetryFromFragment, telemetryFromPackage } = (await import(
      '@coursegate/runtime/telemetry'
    )) as typeof Telemetry;
    await expectSends({ start, telemetryFromFragment, telemetryFromPackage });
  });
});
