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

/** Runs a course that answers a fill-in, completes and exits; returns the URLs and bodies the page posted. */
async function posts(options: Parameters<typeof start>[0]): Promise<{ url: string; body: string }[]> {
  const posted: { url: string; body: string }[] = [];
  vi.stubGlobal('fetch', async (url: RequestInfo | URL, init?: RequestInit) => {
    posted.push({ url: String(url), body: String(init?.body) });
    return new Response('[]', { status: 200 });
  });
  const course = await start({ standard: 'standalone', commitDelayMs: 0, ...options });
  course.interaction({ id: 'q1', type: 'fill-in', response: 'Jane typed this' });
  course.complete();
  await course.exit();
  return posted;
}
const run = async (options: Parameters<typeof start>[0]) => (await posts(options)).map((p) => p.url);

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

  it('a free-text response reaches telemetry only with `start({ telemetryFreeText: true })`', async () => {
    const config = { endpoint: 'https://gk.test', ingestKey: KEY, course: 'intro' };
    document.head.insertAdjacentHTML('afterbegin', telemetryElement(config));
    const sent = async (o: Parameters<typeof start>[0]) => (await posts(o)).map((p) => p.body).join('\n');
    const quiet = await sent({});
    expect(quiet).toContain('/interactions/q1');
    expect(quiet).not.toContain('Jane typed this');
    expect(await sent({ telemetryFreeText: true })).toContain('"response":"Jane typed this"');
  });

  it('no session and no config: sends nothing', async () => {
    expect(await run({})).toEqual([]);
  });
});
