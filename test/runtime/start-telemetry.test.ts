import { afterEach, describe, expect, it, vi } from 'vitest';
import { telemetryElement } from '../../packager/telemetry-config.js';
import { PACKAGE_TELEMETRY_ELEMENT_ID } from '../../protocol/telemetry.js';
import { start } from '../../runtime/index.js';

/**
 * `start()` sends telemetry by default when the launch provides it (here a portable package's config, as
 * the packager writes it) and `telemetry: false` turns it off. The gated launch and a launch without any
 * session, in Chromium on the shipped files: test/e2e/default-telemetry.test.ts.
 */
const KEY = `cgi_${'k'.repeat(43)}`;

afterEach(() => {
  document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)?.remove();
  localStorage.clear();
  vi.unstubAllGlobals();
});

/** Runs a course that completes and exits; returns the URLs the page posted to. */
async function run(options: Parameters<typeof start>[0]): Promise<string[]> {
  const posted: string[] = [];
  vi.stubGlobal('fetch', async (url: RequestInfo | URL) => {
    posted.push(String(url));
    return new Response('[]', { status: 200 });
  });
  const course = await start({ standard: 'standalone', commitDelayMs: 0, ...options });
  course.complete();
  await course.exit();
  return posted;
}

describe('start() and telemetry', () => {
  it('a portable package built with an ingest key: sends with no telemetry code in the course', async () => {
    const config = { endpoint: 'https://gk.test', ingestKey: KEY, course: 'intro' };
    document.head.insertAdjacentHTML('afterbegin', telemetryElement(config));
    expect(await run({})).toContain('https://gk.test/xapi/statements');
  });

  it('`telemetry: false` sends nothing, even where the package is configured', async () => {
    const config = { endpoint: 'https://gk.test', ingestKey: KEY, course: 'intro' };
    document.head.insertAdjacentHTML('afterbegin', telemetryElement(config));
    expect(await run({ telemetry: false })).toEqual([]);
  });

  it('no session and no config: sends nothing', async () => {
    expect(await run({})).toEqual([]);
  });
});
